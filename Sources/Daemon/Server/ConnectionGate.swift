import Foundation
import NIOCore

/// Counts the connections being served, against the budget's limit; shared by every
/// connection of one server (they run on several event loops).
final class ConnectionGate: Sendable {
    let limit: Int
    private let counts = Locked((open: 0, refused: 0))

    init(limit: Int) { self.limit = limit }

    /// True when the connection may be served (and is counted until `release`).
    func admit() -> Bool {
        counts.withLock { counts in
            guard counts.open < limit else {
                counts.refused += 1
                return false
            }
            counts.open += 1
            return true
        }
    }

    func release() { counts.withLock { $0.open = max(0, $0.open - 1) } }

    /// Connections served now, and those refused with 503 since start.
    var snapshot: (open: Int, refused: Int) { counts.current }
}

/// First in every connection's pipeline, on raw bytes: admits the connection through the
/// gate or answers "503, try again" and closes it without reading the request; closes a
/// connection whose client stops reading a response for `sendTimeout` (slow readers).
final class ConnectionGateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State { case pending, admitted, refused }

    /// The answer to a connection over the limit. Sent before the request is read, which
    /// RFC 9112 allows for a response that closes the connection.
    static let busyResponse: String = {
        let body = "the server is busy (too many connections); try again in a moment\n"
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
            + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }()
    /// A refused client gets this long to read the 503 and close before the socket is closed
    /// under it (closing with its request unread would send a reset that can destroy the 503).
    static let refusalLinger = TimeAmount.seconds(2)

    private let gate: ConnectionGate
    private let sendTimeout: TimeAmount
    private var state = State.pending
    private var stalledWrite: Scheduled<Void>?
    private var linger: Scheduled<Void>?

    init(gate: ConnectionGate, sendTimeout: TimeAmount) {
        self.gate = gate
        self.sendTimeout = sendTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { decide(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        decide(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .admitted { gate.release() }
        state = .refused  // released once
        stalledWrite?.cancel()
        linger?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .refused else { return }  // a refused client's request is read and dropped
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if state == .refused, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)  // the refused client has read the 503 and closed its side
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stalledWrite?.cancel()
            stalledWrite = nil
        } else if stalledWrite == nil {
            stalledWrite = context.eventLoop.assumeIsolated().scheduleTask(in: sendTimeout) { [weak self] in
                self?.stalledWrite = nil
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func decide(_ context: ChannelHandlerContext) {
        guard state == .pending else { return }
        if gate.admit() {
            state = .admitted
            return
        }
        state = .refused
        let buffer = context.channel.allocator.buffer(string: Self.busyResponse)
        context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        linger = context.eventLoop.assumeIsolated().scheduleTask(in: Self.refusalLinger) {
            context.close(promise: nil)
        }
    }
}
