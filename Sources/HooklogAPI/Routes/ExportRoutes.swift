import HooklogCore
import HooklogJournal
import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `/v1/export`: the raw receipt log as JSON lines or CSV, streamed in pieces as the exporter
/// reads them (memory stays constant however long the log), ending with a manifest line.
///
/// A tenant key exports the records of its own tenant; the admin key exports every record, or one
/// tenant's with `tenant_id`. Secrets are redacted by the exporter. An export is complete only
/// when its last line is the manifest: a failure after the answer has begun cuts the stream off,
/// and so does the server's stop, which an export could otherwise hold up for as long as it lasts.
public struct ExportRoutes: Sendable {
    /// About how many bytes each streamed piece holds.
    static let chunkByteCount = 64 << 10

    let environment: APIEnvironment

    /// The routes over `environment`.
    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    /// The route, to mount at `/v1/export`.
    public var routes: RouteCollection<APIRequestContext> {
        let routes = RouteCollection(context: APIRequestContext.self)
        routes.get(use: self.export)
        return routes
    }

    @Sendable func export(_ request: Request, context: APIRequestContext) async throws -> Response {
        var filter = ExportFilter()
        let parameters = try QueryParameters(request, taking: ["since", "until", "format", "tenant_id"])
        let namedTenantId = try parameters["tenant_id"].map { text in
            guard let id = TenantID.parse(String(text)) else { throw APIError.invalidParameter("tenant_id \(APIError.quoted(text)) is not a tenant id (ten_…)") }
            return id
        }
        // Whose export it is, one at a time each: the tenant's, or (`nil`) the admin's.
        let exporterTenantId: TenantID?
        switch context.caller {
        case .tenant(let tenantId)?:
            // A tenant key exports its own records; naming another tenant finds nothing.
            if let namedTenantId, namedTenantId != tenantId { throw APIError.notFound("no tenant \(namedTenantId)") }
            filter.tenantId = tenantId
            exporterTenantId = tenantId
        case .admin?:
            exporterTenantId = nil
            if let namedTenantId, try self.environment.store.tenant(namedTenantId) == nil {
                throw APIError.notFound("no tenant \(namedTenantId)")
            }
            filter.tenantId = namedTenantId
        case nil: throw APIError.unauthorized("send Authorization: Bearer <API key>")
        }
        filter.sinceMs = try parameters["since"].map { try Self.time(String($0), name: "since") }
        filter.untilMs = try parameters["until"].map { try Self.time(String($0), name: "until") }
        if let since = filter.sinceMs, let until = filter.untilMs, since >= until {
            throw APIError.invalidParameter("since must be before until")
        }
        var format = ExportFormat.jsonl
        if let text = parameters["format"] {
            guard let chosen = ExportFormat(rawValue: String(text)) else { throw APIError.invalidParameter("format must be jsonl or csv") }
            format = chosen
        }
        // Held by the answer's body: given back when the export ends, whichever way.
        let place = try self.environment.runningExports.take(for: exporterTenantId)
        // Made before answering, so that a store that cannot be read gets an error response
        // rather than an empty 200; the window is fixed as of the request.
        let store = self.environment.store
        let opened = try LogExport(environment: store.environment, projections: store.projections, filter: filter, format: format)
        let connection = context.channel
        let headers: HTTPFields = [.contentType: format.contentType]
        return Response(status: .ok, headers: headers, body: Self.body(of: opened, holding: place, whileConnected: { connection.isActive }, logger: context.logger))
    }

    /// The answer's body: `export` piece by piece as it is read, until it ends or the client
    /// has gone (`isConnected`). An export of a few records in a long log reads on for long
    /// between writes, and only a write would notice a closed connection: it is asked between
    /// pieces, so an abandoned export stops reading.
    static func body(
        of export: LogExport,
        holding place: RunningExports.Place? = nil,
        whileConnected isConnected: @escaping @Sendable () -> Bool,
        logger: Logger
    ) -> ResponseBody {
        ResponseBody { writer in
            defer { withExtendedLifetime(place) {} }  // held for as long as this body runs
            var export = export
            while true {
                // Asked between pieces, as the connection is: a stop is not held up for as long
                // as an export lasts.
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else {
                    logger.info("export cut off: the server is stopping", metadata: ["export.next_sequence": "\(export.nextSequence)"])
                    throw CancellationError()
                }
                let chunk: [UInt8]?
                do {
                    chunk = try export.nextChunk(targetByteCount: Self.chunkByteCount)
                } catch {
                    // The 200 is out: the stream ends without its manifest (and without HTTP's
                    // last chunk), and only the log can tell why.
                    logger.error("export cut off", metadata: ["export.next_sequence": "\(export.nextSequence)", "error": "\(error)"])
                    throw error
                }
                guard let chunk else { break }
                guard isConnected() else {
                    logger.info("export stopped: the client closed the connection", metadata: ["export.next_sequence": "\(export.nextSequence)"])
                    throw ExportAbandoned()
                }
                if chunk.isEmpty {
                    // Records read, none of them this caller's: let the event loop serve others.
                    await Task.yield()
                } else {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
            }
            try await writer.finish(nil)
        }
    }

    private static func time(_ text: String, name: String) throws -> UInt64 {
        guard let ms = TimeFormat.instantMs(rfc3339: text) else {
            throw APIError.invalidParameter("\(name) must be an RFC 3339 time from 1970 to 9999, e.g. 2026-05-09T14:00:00Z")
        }
        return ms
    }
}

/// An export whose client closed the connection: nobody reads the rest.
struct ExportAbandoned: Error {}
