import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written.
///
/// Hummingbird keeps a connection after any response, reading (and dropping) the rest of the
/// request's body first, or, when the request said `Connection: close`, stops reading at all.
/// After a 413 or a 408 that rest may be gigabytes, or a trickle. So the connection closes here,
/// lingering: the output closes at once (the client reads the answer, then the end of the
/// stream), and what the client still sends is read here and dropped, never parsed as another
/// request, for `lingerMs` at most; then the connection closes. Closing at once with unread input
/// would reset the connection, and a client still sending could lose the answer.
final class ClosesAfterResponse: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a closing connection's input is still read and dropped.
    static let lingerMs: Int64 = 2_000

    private var closesAfterThisResponse = false
    /// Whether the answer is out and the input is being read and dropped until the full close.
    private var isLingering = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isLingering else { return }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Reads on, whether or not anything past this handler still asks for more.
        if self.isLingering { context.read() }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(let head):
            self.closesAfterThisResponse = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .end where self.closesAfterThisResponse:
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                promise?.completeWith(result)
                loopBoundSelf.value.linger(loopBoundContext.value)
            }
            context.writeAndFlush(data, promise: written)
        case .body, .end:
            context.write(data, promise: promise)
        }
    }

    private func linger(_ context: ChannelHandlerContext) {
        self.isLingering = true
        let channel = context.channel
        channel.close(mode: .output, promise: nil)
        context.read()
        channel.eventLoop.scheduleTask(in: .milliseconds(Self.lingerMs)) { channel.close(promise: nil) }
    }
}
