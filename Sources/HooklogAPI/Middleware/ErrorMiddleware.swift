import HooklogCore
import HooklogJournal
public import Hummingbird
import Logging
import NIOCore

/// Turns every error into an `APIError` response (unknown routes, oversized bodies, internal
/// failures included) and logs each request's outcome: 5xx at error, the rest at debug. It logs
/// the route's template and status, never headers or bodies (keys and secrets stay out of logs).
/// Every answer, as it sees them all, is marked for no cache to keep (`Cache-Control: no-store`):
/// most hold a tenant's data (raw event bodies, URLs that may carry a token, the request's own
/// text quoted in an error) or a secret shown once.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    private let routeMethods: RouteMethods

    /// A middleware telling a method a route does not take from a route there is not by
    /// `routeMethods` (empty: every unrouted request is a 404).
    public init(routeMethods: RouteMethods = RouteMethods()) {
        self.routeMethods = routeMethods
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let startedAt = ContinuousClock.now
        var response: Response
        // A "not ready" (a readiness probe while starting or stopping) is the service saying so
        // as it should, not a failure: logged at error level, every probe of a drain would be one.
        var isNotReady = false
        do {
            response = try await next(request, context)
        } catch {
            let apiError = self.apiError(for: error, request: request, context: context)
            isNotReady = apiError.isNotReady
            response = try apiError.response(from: request, context: context)
        }
        response.headers[.cacheControl] = "no-store"
        let isFailure = response.status.code >= 500 && !isNotReady
        guard isFailure || context.logger.logLevel <= .debug else { return response }
        let elapsed = startedAt.duration(to: .now)
        let metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.route": "\(context.endpointPath ?? "unmatched")",
            "http.status": "\(response.status.code)",
            "duration.ms": "\(elapsed.inMilliseconds)",
        ]
        if isFailure {
            context.logger.error("request failed", metadata: metadata)
        } else {
            context.logger.debug("request", metadata: metadata)
        }
        return response
    }

    private func apiError(for error: any Error, request: Request, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as QueryError:
            return .invalidParameter(error.description)
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                let allowed = self.routeMethods.methods(forPath: request.uri.path)
                guard allowed.isEmpty else { return .methodNotAllowed(request.method, allowed: allowed) }
                return .notFound("no such route; see /openapi.yaml for the routes this API has")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, code: "method_not_allowed", message: "this route does not take that method")
            case .contentTooLarge:
                return APIError(.contentTooLarge, code: "payload_too_large", message: error.body ?? "the request body is too large")
            default:
                return APIError(error.status, code: "http_error", message: error.body ?? error.status.reasonPhrase)
            }
        case let error as RequestBodyTimedOut:
            return .requestTimeout(limitMs: error.timeoutMs)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is too large")
        case let error as LMDBError where error.isStorageFailure:
            // What the operator must act on, said once per request it failed; the client is told
            // to try again, as it may once the disk is freed or mended.
            context.logger.error("the storage failed: free or mend the data directory's disk", metadata: ["error": "\(error)"])
            return .storageUnavailable
        case let error as JournalError where error == .closed:
            return .notReady("Hooklog is stopping; try again shortly")
        case is JournalError:
            // Failed for good: the service is stopping (and says why), to take writes after a restart.
            return .notReady("Hooklog's journal failed and Hooklog is stopping; try again once it has restarted")
        case let error as LogFormatError:
            // Bytes changed on disk since they were appended: never shown as what was received.
            context.logger.error("the log is damaged", metadata: ["error": "\(error)"])
            return APIError(.internalServerError, code: "log_damaged", message: "\(error); nothing was changed")
        default:
            context.logger.error("unexpected error", metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"])
            return .internalError
        }
    }
}
