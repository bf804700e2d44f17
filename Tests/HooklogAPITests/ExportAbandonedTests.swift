import Foundation
import HooklogCore
import HooklogJournal
import HTTPTypes
@testable import HooklogAPI
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// An export of a few records in a long log reads for long between writes; a client that
/// closes the connection meanwhile must not leave it reading the rest of the log for nobody.
@Suite("An export stops reading when its client has gone or the server stops")
struct ExportAbandonedTests {
    @Test(.timeLimit(.minutes(1)))
    func testAnExportStopsReadingOnceItsConnectionIsClosed() async throws {
        let folder = NSTemporaryDirectory() + "hooklog-export-abandoned-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try HooklogStore(path: folder, initialMapSizeBytes: 8 << 20, logger: logger)
        let nowMs = JournalConfiguration.wallClockMs()
        let busy = try await store.createTenant(name: "Busy", apiKeyHash: SHA256Hasher.digest(Array("busy".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
        let quiet = try await store.createTenant(name: "Quiet", apiKeyHash: SHA256Hasher.digest(Array("quiet".utf8)), defaultSigningSecret: "whsec_AAAA", nowMs: nowMs)
        // Another tenant's records, several of the export's pieces long.
        let otherRecordCount = LogExport.maxRecordsReadPerChunk * 4
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<otherRecordCount {
                group.addTask {
                    _ = try await store.ingest(EventSubmission(tenantId: busy, type: "call.started", rawBody: Array(#"{"n":\#(index)}"#.utf8)))
                }
            }
            try await group.waitForAll()
        }
        func export() throws -> LogExport {
            try LogExport(environment: store.environment, projections: store.projections, filter: ExportFilter(tenantId: quiet), format: .jsonl)
        }

        // Connected throughout: the quiet tenant's one record, then the manifest.
        let whole = WrittenPieces()
        try await ExportRoutes.body(of: try export(), whileConnected: { true }, logger: logger).write(whole)
        #expect(whole.isFinished && whole.text.split(separator: "\n").count == 2, "\(whole.text)")

        // Closed after the first piece: no more is read.
        let asked = Mutex(0)
        let abandoned = WrittenPieces()
        await #expect(throws: ExportAbandoned.self) {
            try await ExportRoutes.body(of: try export(), whileConnected: { asked.withLock { $0 += 1; return $0 } <= 1 }, logger: logger).write(abandoned)
        }
        #expect(asked.withLock { $0 } == 2, "asked between pieces, and stopped at the first answer that it was closed")
        #expect(!abandoned.isFinished)

        // The server stopping: the export is cut off (no manifest, no last chunk) rather than
        // holding the stop up for as long as it reads.
        let stopped = WrittenPieces()
        let outcome = Mutex<(any Error)?>(nil)
        let stopping = ExportRoutes.body(of: try export(), whileConnected: { true }, logger: logger)
        let exporting = ExportingService {
            try await gracefulShutdown()
            do {
                try await stopping.write(stopped)
            } catch {
                outcome.withLock { $0 = error }
            }
        }
        let group = ServiceGroup(configuration: .init(services: [exporting], logger: logger))
        async let running: Void = group.run()
        await group.triggerGracefulShutdown()
        try await running
        #expect(outcome.withLock { $0 } is CancellationError, "\(String(describing: outcome.withLock { $0 }))")
        #expect(!stopped.isFinished && stopped.text.isEmpty, "\(stopped.text)")
        await store.close()
    }
}

/// A service running `body`: what a connection's task is, as the server's stop sees it.
private struct ExportingService: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws { try await self.body() }
}

/// A response body writer keeping what it is given.
private final class WrittenPieces: ResponseBodyWriter, Sendable {
    private let state = Mutex((bytes: [UInt8](), finished: false))

    var text: String { String(decoding: self.state.withLock { $0.bytes }, as: UTF8.self) }
    var isFinished: Bool { self.state.withLock { $0.finished } }

    func write(_ buffer: ByteBuffer) async throws {
        self.state.withLock { $0.bytes += Array(buffer.readableBytesView) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {
        self.state.withLock { $0.finished = true }
    }
}
