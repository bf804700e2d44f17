public import Logging

/// swift-log's `StreamLogHandler`, with a logger's metadata rendered when a message is written
/// instead of each time an item is set. The lines written are the same.
///
/// `StreamLogHandler` renders all of its metadata into text whenever one item changes, and every
/// request sets two (Hummingbird's `hb.request.id`, the API's `tenant.id`): about 3 % of the server's
/// CPU under load, for text that at the usual level (warning) is never written. This handler is
/// also small enough (metadata, level, one reference) to live inside a `Logger` without a box of
/// its own, so setting an item copies no more than the metadata.
public struct DeferredMetadataLogHandler: LogHandler {
    /// Where lines go. Its `StreamLogHandler` has neither metadata nor a provider: each line's
    /// metadata is merged here and handed over with the line.
    private final class Output: Sendable {
        let stream: StreamLogHandler
        let provider: Logger.MetadataProvider?

        init(_ stream: StreamLogHandler, provider: Logger.MetadataProvider?) {
            self.stream = stream
            self.provider = provider
        }
    }

    private var output: Output
    /// The logger's metadata, rendered only into lines written.
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    /// A handler writing to standard error, with the logging system's metadata provider.
    public static func standardError(label: String) -> Self {
        Self(output: Output(StreamLogHandler.standardError(label: label, metadataProvider: nil), provider: LoggingSystem.metadataProvider))
    }

    /// A handler writing to `stream`, with the logging system's metadata provider.
    public init(label: String, stream: any TextOutputStream & Sendable) {
        self.init(output: Output(StreamLogHandler(label: label, stream: stream, metadataProvider: nil), provider: LoggingSystem.metadataProvider))
    }

    private init(output: Output) {
        self.output = output
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { self.output.provider }
        set { self.output = Output(self.output.stream, provider: newValue) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // As `StreamLogHandler` merges them: the logger's metadata, then the provider's, then the message's own.
        var metadata = self.metadata
        if let provided = self.output.provider?.get(), !provided.isEmpty {
            metadata.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            metadata.merge(explicit) { _, explicit in explicit }
        }
        var event = event
        event.metadata = metadata
        self.output.stream.log(event: event)
    }
}
