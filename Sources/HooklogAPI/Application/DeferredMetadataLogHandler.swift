public import Logging

/// swift-log's `StreamLogHandler`, with a logger's metadata rendered when a message is written
/// instead of each time an item is set. The lines written are the same.
///
/// `StreamLogHandler` renders all of its metadata into text whenever one item changes, and every
/// request sets two (Hummingbird's `hb.request.id`, the API's `tenant.id`): about 3 % of the server's
/// CPU under load, for text that at the usual level (warning) is never written.
public struct DeferredMetadataLogHandler: LogHandler {
    /// Writes the lines; holds no metadata of its own, so setting never renders anything.
    private var stream: StreamLogHandler
    /// The logger's metadata, rendered only into lines written.
    public var metadata: Logger.Metadata = [:]

    /// A handler writing to standard error.
    public static func standardError(label: String) -> Self {
        Self(stream: StreamLogHandler.standardError(label: label))
    }

    /// A handler writing to `stream`.
    public init(label: String, stream: any TextOutputStream & Sendable) {
        self.init(stream: StreamLogHandler(label: label, stream: stream))
    }

    private init(stream: StreamLogHandler) {
        self.stream = stream
    }

    public var logLevel: Logger.Level {
        get { self.stream.logLevel }
        set { self.stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { self.stream.metadataProvider }
        set { self.stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        // A message's own metadata wins over the logger's, as in `StreamLogHandler`.
        event.metadata = self.metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        self.stream.log(event: event)
    }
}
