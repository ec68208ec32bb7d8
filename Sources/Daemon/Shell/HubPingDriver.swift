import Dispatch
import Foundation
import Logging

/// Delivers WebSub pings in the background: at start (pings left by the last run), whenever
/// a publish queues some, and when a waiting ping's retry is due. The timer is the only
/// clock; what to send and when to retry is decided by the pinger.
// @unchecked Sendable: `timer`, `isDelivering`, `wantsAnother` and `isStopped` are touched only on `queue`.
final class HubPingDriver: @unchecked Sendable {
    private let pinger: any HubPinging
    private let queue = DispatchQueue(label: "tidings.websub")
    private var timer: DispatchSourceTimer?
    private var isDelivering = false
    private var wantsAnother = false
    private var isStopped = false

    init(pinger: any HubPinging) {
        self.pinger = pinger
    }

    func start() {
        pinger.whenHubPingQueued { @Sendable [weak self] in self?.wake() }
        queue.sync {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { @Sendable [weak self] in self?.deliver() }
            timer.schedule(deadline: .distantFuture)
            timer.resume()
            self.timer = timer
        }
        wake()
    }

    func stop() {
        queue.sync {
            isStopped = true
            timer?.cancel()
            timer = nil
        }
    }

    func wake() {
        queue.async { [self] in deliver() }
    }

    /// On `queue`.
    private func deliver() {
        guard !isStopped else { return }
        if isDelivering { wantsAnother = true; return }
        isDelivering = true
        let pinger = self.pinger
        Task { @Sendable [self] in
            let next = await pinger.deliverHubPings(now: Date())
            queue.async { [self] in
                isDelivering = false
                if wantsAnother {
                    wantsAnother = false
                    deliver()
                } else if let next {
                    let wait = max(0, next.timeIntervalSinceNow)
                    timer?.schedule(deadline: .now() + wait, leeway: .milliseconds(200))
                } else {
                    timer?.schedule(deadline: .distantFuture)
                }
            }
        }
    }
}
