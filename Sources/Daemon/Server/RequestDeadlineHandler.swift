import Foundation
import NIOCore
import NIOHTTPTypes

/// Closes a connection that does not deliver a whole request within `timeout`, counted from
/// the moment the server first asks to read it (or from its previous response's end): a
/// client trickling its header (or body) byte by byte, or one holding an idle keep-alive
/// connection, cannot keep a slot forever. The clock starts at the first read, not at accept:
/// under load a connection can wait for the server's attention, and that wait is not the
/// client's slowness. While a request is being answered (POST /refresh may take minutes) no
/// deadline runs.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    /// A request's head has arrived but not its end.
    private var isReadingRequest = false
    /// Requests read whose response has not ended yet.
    private var awaitingResponse = 0
    private var deadline: Scheduled<Void>?
    /// The server has asked for the connection's first bytes.
    private var hasAskedToRead = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func read(context: ChannelHandlerContext) {
        if !hasAskedToRead {
            hasAskedToRead = true
            arm(context)
        }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: isReadingRequest = true
        case .body: break
        case .end:
            isReadingRequest = false
            awaitingResponse += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            awaitingResponse = max(0, awaitingResponse - 1)
            if awaitingResponse == 0 && !isReadingRequest { arm(context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.deadline = nil
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
