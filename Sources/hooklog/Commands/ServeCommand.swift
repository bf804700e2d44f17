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
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // In-flight attempts are bounded by their DNS check and the request timeout, and the
        // mid-call calls still running after them by theirs; past this the rest is cancelled (an
        // attempt cut short stays journaled as started and is sent again after the next start).
        let lookupMs = DestinationGuard.defaultLookupTimeoutMs
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(
            lookupMs + configuration.requestTimeoutMs + lookupMs + configuration.midCall.attemptTimeoutMs + 10_000
        )
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("stopped")
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
