import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written, and
/// makes every response that comes before its request has been read to its end say so.
///
/// Hummingbird keeps a connection after any response, reading (and dropping) the rest of the
/// request's body first, or, when the request said `Connection: close`, stops reading at all.
/// After a request refused before its body was read (a 413 by its length, a 408, a 401 by its
/// key) that rest may be gigabytes, or a trickle. So the connection closes here, lingering: the
/// output closes at once (the client reads the answer, then the end of the stream), and what the
/// client still sends is read here and dropped, never parsed as another request, for `lingerMs`
/// at most; then the connection closes. Closing at once with unread input would reset the
/// connection, and a client still sending could lose the answer. A request read to its end
/// keeps its connection whatever its answer: a platform whose event is refused (a 422) goes on
/// sending on the same connection.
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
    /// Whether each request not answered yet has been read to its end, oldest first: answers go
    /// out in the order the requests came, pipelined or not.
    private var unansweredRequestsAreWhole: [Bool] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.isLingering else { return }
        switch self.unwrapInboundIn(data) {
        case .head: self.unansweredRequestsAreWhole.append(false)
        case .end: if !self.unansweredRequestsAreWhole.isEmpty { self.unansweredRequestsAreWhole[self.unansweredRequestsAreWhole.count - 1] = true }
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Reads on, whether or not anything past this handler still asks for more.
        if self.isLingering { context.read() }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            // Answered before its request was read whole: what is still to come may be anything,
            // and is not read.
            if self.unansweredRequestsAreWhole.first == false { head.headerFields[.connection] = "close" }
            if !self.unansweredRequestsAreWhole.isEmpty { self.unansweredRequestsAreWhole.removeFirst() }
            self.closesAfterThisResponse = head.headerFields[.connection]?.lowercased() == "close"
            context.write(self.wrapOutboundOut(.head(head)), promise: promise)
        case .end where self.closesAfterThisResponse:
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                promise?.completeWith(result)
                loopBoundSelf.value.linger(loopBoundContext.value)
            }
            context.writeAndFlush(data, promise: written)
        case .head, .body, .end:
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
