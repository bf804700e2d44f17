import HooklogJournal
import Logging
import ServiceLifecycle

/// Offers a result to the journal until it takes it: a refusal of the storage (LMDB's: a full
/// map, a disk error) is offered again, ever less often, so that what was sent does not stay
/// unrecorded until a restart. Any other refusal is final (the reducer judged the record, and
/// would judge it the same again). It stops when the journal has closed, when a graceful stop is
/// under way (waiting out a failing journal would only hold the stop up), or when the task is
/// cancelled; the restart's recovery then records it.
enum JournalOffer {
    /// The wait after the first refusal; each refusal doubles it, up to `lastRetryDelayMs`.
    static let firstRetryDelayMs: Int64 = 100
    static let lastRetryDelayMs: Int64 = 5_000

    /// `journal()`'s result once it succeeds; `nil` when the offers stopped first.
    static func untilTaken<Result>(_ what: String, logger: Logger, _ journal: () async throws -> Result) async -> Result? {
        var retryDelayMs = Self.firstRetryDelayMs
        while true {
            do {
                return try await journal()
            } catch let error as JournalError where error == .closed {
                logger.info("\(what) not journaled: the journal has closed; restart recovery records it")
                return nil
            } catch where !(error is LMDBError) {
                logger.warning("\(what) refused by the journal", metadata: ["error": "\(error)"])
                return nil
            } catch where Task.isShuttingDownGracefully {
                logger.info("\(what) not journaled while stopping; restart recovery records it", metadata: ["error": "\(error)"])
                return nil
            } catch {
                logger.warning("\(what) not journaled; offering it again", metadata: ["error": "\(error)", "retry.ms": "\(retryDelayMs)"])
            }
            do {
                try await Task.sleep(for: .milliseconds(retryDelayMs))
            } catch {
                logger.info("\(what) not journaled before the stop; restart recovery records it")
                return nil
            }
            retryDelayMs = min(retryDelayMs * 2, Self.lastRetryDelayMs)
        }
    }
}
