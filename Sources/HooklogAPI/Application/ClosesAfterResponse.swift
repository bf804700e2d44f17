import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written.
///
/// Hummingbird keeps a connection after any response, reading (and dropping) the rest of the
/// request's body first. After a 413 or a 408 that rest may be gigabytes, or a trickle: the
/// answer says the connection closes, and here it does, lingering: the output closes at once
/// (the client reads the answer, then the end of the stream) while what the client still sends
/// is read and dropped for `lingerMs` at most, then the connection closes. Closing at once with
/// unread input would reset the connection, and a client still sending could lose the answer.
final class ClosesAfterResponse: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a closing connection's input is still read and dropped.
    static let lingerMs: Int64 = 2_000

    private var closesAfterThisResponse = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(let head):
            self.closesAfterThisResponse = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .end where self.closesAfterThisResponse:
            let channel = context.channel
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                promise?.completeWith(result)
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: .milliseconds(Self.lingerMs)) { channel.close(promise: nil) }
            }
            context.writeAndFlush(data, promise: written)
        case .body, .end:
            context.write(data, promise: promise)
        }
    }
}
