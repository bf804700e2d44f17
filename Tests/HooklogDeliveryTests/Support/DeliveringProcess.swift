import Foundation
import HooklogTestSupport
import Testing

/// A real delivering Hooklog process (`DeliveryCrashChild`) for tests that kill or restart one.
enum DeliveringProcess {
    /// Starts it on the store in `folder` with a millisecond `retrySchedule`, and returns once its
    /// scheduler runs (it prints "ready"), so that a kill lands while it delivers.
    static func start(folder: String, retrySchedule: String) async throws -> Process {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("DeliveryCrashChild"))
        process.arguments = [folder, DeliveryHarness.configFolder + "/profiles", retrySchedule]
        process.standardOutput = output
        try process.run()
        // One that neither says it is ready nor exits is killed, so that the read below ends.
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(30), execute: watchdog)
        defer { watchdog.cancel() }
        let reader = output.fileHandleForReading
        // Blocking reads stay off the concurrency pool's few threads.
        let ready = try await OwnThread.run {
            var seen = Data()
            while !seen.contains(Data("ready\n".utf8)) {
                let chunk = reader.availableData
                if chunk.isEmpty { return false }
                seen += chunk
            }
            return true
        }
        #expect(ready, "the delivering process exited before it was ready")
        return process
    }
}
