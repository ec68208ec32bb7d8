import Foundation

/// Hosts that answered 429 or 503 with a wait: requests to them fail fast with
/// `.rateLimited` until the wait is over, without touching the network.
final class HostHolds: @unchecked Sendable {
    // @unchecked Sendable: `holds` is guarded by `lock`.
    struct Hold {
        var until: Date
        var status: Int
    }

    private let lock = NSLock()
    private var holds: [String: Hold] = [:]

    func hold(_ host: String, until: Date, status: Int) {
        lock.withLock {
            let longer = max(until, holds[host]?.until ?? until)
            holds[host] = Hold(until: longer, status: status)
        }
    }

    /// The hold still in force at `now`, or nil (and an expired hold is forgotten).
    func current(_ host: String, now: Date) -> Hold? {
        lock.withLock {
            guard let hold = holds[host] else { return nil }
            if hold.until > now { return hold }
            holds[host] = nil
            return nil
        }
    }
}
