// A Hooklog delivery process for the crash test: opens the store in a data folder and runs the
// real scheduler and dispatcher until it is killed. Prints "ready" once the scheduler runs.
//
// Usage: DeliveryCrashChild <data-folder> <profiles-folder> <retry-schedule>
import HooklogCore
import HooklogDelivery
import HooklogJournal
import Logging

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    fatalError("usage: DeliveryCrashChild <data-folder> <profiles-folder> <retry-schedule>")
}
var logger = Logger(label: "delivery-crash-child")
logger.logLevel = .warning
let store = try HooklogStore(path: arguments[1], initialMapSizeBytes: 1 << 20, logger: logger)
let client = WebhookHTTPClient()
let configuration = DispatchConfiguration(
    requestTimeoutMs: 2_000,
    rules: DeliveryRules(retry: RetryPolicy(schedule: try RetrySchedule(parsing: arguments[3]))),
    allowsPrivateNetworks: true
)
let dispatcher = AttemptDispatcher(
    store: store,
    client: client,
    profiles: try WireProfileCatalog.load(folder: arguments[2]),
    configuration: configuration,
    logger: logger
)
let scheduler = DeliveryScheduler(store: store, dispatcher: dispatcher, configuration: configuration, logger: logger)
let running = Task { try await scheduler.run() }
while !scheduler.isRunning { try await Task.sleep(for: .milliseconds(5)) }
let ready = Array("ready\n".utf8)
_ = ready.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
try await running.value
