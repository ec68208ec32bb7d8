import Foundation
import TidingsCore

/// Reads a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, clamped
/// to what a polite daemon can use.
enum RetryAfter {
    /// Below this we would hammer a host that asked us to back off.
    static let minimum: TimeInterval = 60
    /// Beyond this a value is more likely a mistake than a plan (a source idle for days).
    static let maximum: TimeInterval = 48 * 3600

    /// Seconds to wait from `now`, clamped to `minimum…maximum`; nil when the value is unreadable.
    static func seconds(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit) {
            return clamp(TimeInterval(trimmed) ?? maximum)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return clamp(date.timeIntervalSince(now))
    }

    static func clamp(_ seconds: TimeInterval) -> TimeInterval {
        min(maximum, max(minimum, seconds))
    }

}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
