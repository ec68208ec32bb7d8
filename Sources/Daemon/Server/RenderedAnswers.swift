import Foundation

/// Bodies of /status.json and /metrics, rendered once per change of the daemon's status and
/// at most `maximumAge` apart: a monitor polling every second, or a flood of requests, costs
/// one rendering per second, and none of them reads the database.
final class RenderedAnswers: Sendable {
    /// Long enough to absorb bursts, short enough that "next run in" counts down visibly.
    static let maximumAge: TimeInterval = 1

    private let entries = Locked([String: (generation: Int, at: Double, body: Data)]())

    func body(_ key: String, generation: Int, render: () -> Data) -> Data {
        let now = MonotonicClock.now()
        if let cached = entries.withLock({ $0[key] }), cached.generation == generation, now - cached.at < Self.maximumAge {
            return cached.body
        }
        let body = render()
        entries.withLock { $0[key] = (generation, now, body) }
        return body
    }
}
