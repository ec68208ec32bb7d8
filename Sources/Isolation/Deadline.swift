import Dispatch
import Foundation

/// One timer armed again for every request it guards. A fresh `asyncAfter` per request
/// stays queued in Dispatch's timer heap until its time comes, cancelled or not: at 1,000
/// pages/s and a 60 s limit, 60,000 dead timers (about 40 MB at 10,000 sources, and their
/// wake-ups took 40% of a one-source refresh's CPU). This one is rescheduled in place.
// @unchecked Sendable: `due`, `action` and the timer's schedule change only under `lock`, so
// an `arm` and a `disarm` racing cannot leave the timer parked while an action is armed.
final class Deadline: @unchecked Sendable {
    private let lock = NSLock()
    private let timer: DispatchSourceTimer
    /// When the armed action runs, and the action; nil when disarmed.
    private var due: DispatchTime?
    private var action: (@Sendable () -> Void)?

    init(queue: DispatchQueue = .global()) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .distantFuture)
        timer.setEventHandler { [weak self] in self?.fire() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Runs `action` after `seconds` unless `disarm` comes first; replaces any armed action.
    func arm(after seconds: TimeInterval, _ action: @escaping @Sendable () -> Void) {
        let due = DispatchTime.now() + seconds
        lock.withLock {
            self.due = due
            self.action = action
            timer.schedule(deadline: due)
        }
    }

    /// The armed action will not run (unless it already started).
    func disarm() {
        lock.withLock {
            due = nil
            action = nil
            timer.schedule(deadline: .distantFuture)
        }
    }

    var isArmed: Bool { lock.withLock { due != nil } }

    /// A firing that a later `arm` or `disarm` overtook does nothing; one a little early
    /// waits for the time armed.
    private func fire() {
        let action: (@Sendable () -> Void)? = lock.withLock {
            guard let due = self.due else { return nil }
            guard DispatchTime.now() >= due else {
                timer.schedule(deadline: due)
                return nil
            }
            self.due = nil
            defer { self.action = nil }
            return self.action
        }
        action?()
    }
}
