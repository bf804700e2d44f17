public import Logging
import Synchronization

/// A log handler that keeps every message, for tests that check what was logged (and how often).
public struct RecordingLogHandler: LogHandler {
    /// The messages logged so far, oldest first.
    public final class Messages: Sendable {
        private let messages = Mutex<[(level: Logger.Level, message: String, metadata: String)]>([])

        public init() {}

        /// How many messages contain `text`.
        public func count(containing text: String) -> Int {
            self.messages.withLock { $0.count { $0.message.contains(text) } }
        }

        /// How many messages at `level` contain each of `texts` in their message or metadata.
        public func count(at level: Logger.Level, containing texts: String...) -> Int {
            self.messages.withLock { messages in
                messages.count { logged in
                    logged.level == level && texts.allSatisfy { logged.message.contains($0) || logged.metadata.contains($0) }
                }
            }
        }

        fileprivate func append(_ level: Logger.Level, _ message: String, _ metadata: String) {
            self.messages.withLock { $0.append((level, message, metadata)) }
        }
    }

    private let messages: Messages
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    /// A logger whose messages land in `messages`.
    public static func logger(into messages: Messages) -> Logger {
        Logger(label: "test", factory: { _ in RecordingLogHandler(messages: messages) })
    }

    private init(messages: Messages) {
        self.messages = messages
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let metadata = self.metadata.merging(event.metadata ?? [:]) { $1 }
        self.messages.append(event.level, event.message.description, metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))
    }
}
