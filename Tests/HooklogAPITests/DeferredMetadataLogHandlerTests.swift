import HooklogAPI
import Logging
import Synchronization
import Testing

@Suite("DeferredMetadataLogHandler writes what StreamLogHandler writes")
struct DeferredMetadataLogHandlerTests {
    /// The lines a handler wrote.
    final class Lines: TextOutputStream, Sendable {
        private let lines = Mutex<[String]>([])

        func write(_ string: String) {
            self.lines.withLock { $0.append(string) }
        }

        /// The lines, each without its leading timestamp (the only part that differs between runs).
        var withoutTimestamps: [String] {
            self.lines.withLock { $0.map { String($0.drop(while: { $0 != " " })) } }
        }
    }

    /// Logs the same things through `logger`, as the server does: metadata set item by item, a
    /// message with metadata of its own (one key overriding the logger's), one without.
    static func exercise(_ logger: inout Logger) {
        logger.logLevel = .debug
        logger.info("before any metadata")
        logger[metadataKey: "component"] = "api"
        logger[metadataKey: "hb.request.id"] = .stringConvertible(42)
        logger[metadataKey: "tenant.id"] = "ten_01"
        logger.trace("below the level")
        logger.debug("request", metadata: ["http.status": "202", "tenant.id": "ten_02"])
        logger.error("request failed")
        logger[metadataKey: "tenant.id"] = nil
        logger.warning("after removing one")
    }

    @Test func testTheLinesAreThoseOfStreamLogHandler() {
        let streamLines = Lines()
        var streamLogger = Logger(label: "hooklog") { StreamLogHandler(label: $0, stream: streamLines) }
        Self.exercise(&streamLogger)
        let deferredLines = Lines()
        var deferredLogger = Logger(label: "hooklog") { DeferredMetadataLogHandler(label: $0, stream: deferredLines) }
        Self.exercise(&deferredLogger)

        #expect(streamLines.withoutTimestamps.count == 4)
        #expect(deferredLines.withoutTimestamps == streamLines.withoutTimestamps)
        #expect(deferredLines.withoutTimestamps.contains {
            $0.contains("component=api hb.request.id=42 http.status=202 tenant.id=ten_02") && $0.hasSuffix(" request\n")
        })
    }

    @Test func testAMetadataProviderIsAskedAsByStreamLogHandler() {
        let provider = Logger.MetadataProvider { ["provided": "yes", "tenant.id": "from-provider"] }
        let event = LogEvent(
            level: .error, message: "failed", metadata: ["explicit": "1"], source: "api", file: #fileID, function: #function, line: #line
        )
        let streamLines = Lines()
        var stream = StreamLogHandler(label: "hooklog", stream: streamLines)
        stream.metadataProvider = provider
        stream[metadataKey: "tenant.id"] = "ten_01"
        stream.log(event: event)
        let deferredLines = Lines()
        var deferred = DeferredMetadataLogHandler(label: "hooklog", stream: deferredLines)
        deferred.metadataProvider = provider
        deferred[metadataKey: "tenant.id"] = "ten_01"
        deferred.log(event: event)

        #expect(deferredLines.withoutTimestamps == streamLines.withoutTimestamps)
        #expect(streamLines.withoutTimestamps.first?.contains("explicit=1 provided=yes tenant.id=") == true)
    }
}
