import ArgumentParser
import Foundation
import HooklogAPI
import HooklogDelivery
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// `hooklog serve`: runs the API, the scheduler and the dispatcher until SIGTERM or SIGINT, then
/// starts no more attempts (those in flight finish), stops taking requests, closes the journal and
/// exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API and deliver webhooks (configuration: Config/hooklog.yaml, HOOKLOG_* variables win)."
    )

    @OptionGroup var configurationFile: ConfigurationFileOptions

    func run() async throws {
        // Tasks run on the event loops that do the sockets' I/O (the API's and the HTTP client's),
        // instead of hopping to Swift's own pool and back for every request and response.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let configuration = try await self.loadConfiguration()
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "hooklog")
        for variable in HooklogConfiguration.unknownVariables(in: ProcessInfo.processInfo.environment) {
            logger.warning("\(variable) is no Hooklog setting and changes nothing: misspelt? (the settings are listed in Config/hooklog.yaml)")
        }
        let application: any Service
        do {
            application = try buildApplication(configuration: configuration, logger: logger, onReady: { address in
                // One line, written at once and unbuffered, so that a supervisor reading a pipe sees it.
                FileHandle.standardOutput.write(Data("hooklog ready on \(address) (data \(configuration.dataDirectory))\n".utf8))
            })
        } catch {
            throw CommandFailure("cannot start: \(error)")
        }
        // The signals are watched here (`stopOnSignals`), not by the group: a second one cuts the
        // stop short, which a group cannot be told for the same signal.
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: logger)
        // A cancelled stop has a bound too (past it the process traps; nothing acknowledged is lost).
        groupConfiguration.maximumCancellationDuration = .seconds(10)
        // Past this the rest is cancelled (an attempt cut short stays journaled as started and
        // is sent again after the next start).
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(configuration.longestGracefulStopMs)
        let group = ServiceGroup(configuration: groupConfiguration)
        let running = Task { try await group.run() }
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let watching = Task { await Self.stopOnSignals(signals, group: group, running: running, logger: logger) }
        defer { watching.cancel() }
        try await running.value
        logger.info("stopped")
    }

    /// The first SIGTERM or SIGINT starts a graceful stop; a second one cancels what the stop
    /// still waits for (in-flight attempts, mid-call calls, requests in progress).
    static func stopOnSignals(_ signals: UnixSignalsSequence, group: ServiceGroup, running: Task<Void, any Error>, logger: Logger) async {
        var signalCount = 0
        for await signal in signals {
            signalCount += 1
            if signalCount == 1 {
                logger.info("stopping: in-flight attempts finish, no new ones start (signal again to cut this short)", metadata: ["signal": "\(signal)"])
                await group.triggerGracefulShutdown()
            } else {
                logger.warning("stopping at once: what is in flight is cut off and sent again after the next start", metadata: ["signal": "\(signal)"])
                running.cancel()
                return
            }
        }
    }

    /// The environment's `HOOKLOG_*` variables over the YAML file over the defaults.
    func loadConfiguration() async throws -> HooklogConfiguration {
        let reader = try await self.configurationFile.reader()
        do {
            return try HooklogConfiguration(reader: reader)
        } catch {
            throw CommandFailure("invalid configuration: \(error)")
        }
    }
}
