import Foundation
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel behind the connection gate (first in the pipeline) and
/// with the request deadline after the HTTP decoder.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let gate: ConnectionGate
    let sendTimeout: TimeAmount

    init(responder: @escaping HTTPChannelHandler.Responder, gate: ConnectionGate, requestTimeout: TimeAmount, sendTimeout: TimeAmount) {
        inner = HTTP1Channel(responder: responder,
                             configuration: .init(additionalChannelHandlers: [RequestDeadlineHandler(timeout: requestTimeout)]))
        self.gate = gate
        self.sendTimeout = sendTimeout
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (gate, sendTimeout, inner) = (self.gate, self.sendTimeout, self.inner)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGateHandler(gate: gate, sendTimeout: sendTimeout))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
