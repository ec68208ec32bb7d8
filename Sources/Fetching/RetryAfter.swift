import Foundation

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
        guard let date = httpDate(trimmed) else { return nil }
        return clamp(date.timeIntervalSince(now))
    }

    static func clamp(_ seconds: TimeInterval) -> TimeInterval {
        min(maximum, max(minimum, seconds))
    }

    /// IMF-fixdate, then the obsolete RFC 850 and asctime forms that RFC 9110 §5.6.7 still asks recipients to accept.
    /// Formatters are made per call: this runs only on a 429/503, and a shared
    /// DateFormatter is not safe to use from several threads on Linux.
    static func httpDate(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
