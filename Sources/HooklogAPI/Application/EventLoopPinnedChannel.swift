public import HummingbirdCore
public import Logging
public import NIOCore

/// A server connection (HTTP/1 here) whose task runs on its channel's event loop.
///
/// Without it a connection's task runs wherever the global executor puts it: `hooklog serve` makes
/// that the NIO event loops, but a task resumed by the journal's writer thread lands on the next
/// loop in turn, so for half the requests the answer is handed over to the channel's own loop (one
/// more queued job and often a wake-up). Preferring the channel's loop makes the writer's resume
/// go straight there: ~10 % less server CPU per ingest on 2 cores (52 → 44 µs).
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    /// The connection as it would run anywhere.
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await self.base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server (`.http1()`), each connection running on its channel's event
    /// loop, closed after `idleTimeoutMs` without a request in progress, after a request whose
    /// body takes longer than `requestBodyTimeoutMs`, and after a response that says so.
    static func http1OnChannelEventLoops(idleTimeoutMs: Int64, requestBodyTimeoutMs: Int64) -> HTTPServerBuilder {
        .init { responder in
            EventLoopPinnedChannel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [RequestBodyDeadline(timeoutMs: requestBodyTimeoutMs), ClosesAfterResponse()],
                        idleTimeout: .milliseconds(idleTimeoutMs)
                    )
                )
            )
        }
    }
}
