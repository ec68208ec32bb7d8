import Foundation

/// A moment plus the UTC offset it was written in, so feeds can print it as the page did.
public struct Timestamp: Sendable, Hashable, Codable, Comparable {
    public var date: Date
    /// Seconds east of UTC.
    public var offsetSeconds: Int

    public init(date: Date, offsetSeconds: Int) {
        self.date = date
        self.offsetSeconds = offsetSeconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }

    /// RFC 3339 with the original offset, e.g. `2023-06-17T02:27:18+08:00`.
    public var rfc3339: String {
        let shifted = date.addingTimeInterval(TimeInterval(offsetSeconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: shifted)
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let minutes = abs(offsetSeconds) / 60
            zone = sign + Self.pad(minutes / 60) + ":" + Self.pad(minutes % 60)
        }
        return "\(Self.pad(c.year!, 4))-\(Self.pad(c.month!))-\(Self.pad(c.day!))T"
            + "\(Self.pad(c.hour!)):\(Self.pad(c.minute!)):\(Self.pad(c.second!))" + zone
    }

    /// Parses RFC 3339 / ISO 8601 date-times with `Z` or a `±hh:mm` offset.
    public init?(rfc3339 text: String) {
        let pattern = #/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})$/#
        guard let m = text.wholeMatch(of: pattern) else { return nil }
        var offset = 0
        let zone = String(m.7)
        if zone != "Z" && zone != "z" {
            let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
            guard let hhmm = Int(digits) else { return nil }
            offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (zone.hasPrefix("-") ? -1 : 1)
        }
        guard let month = Int(m.2), (1...12).contains(month), let day = Int(m.3), (1...31).contains(day),
              let hour = Int(m.4), hour < 24, let minute = Int(m.5), minute < 60, abs(offset) < 24 * 3600 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        let components = DateComponents(year: Int(m.1), month: Int(m.2), day: Int(m.3),
                                        hour: Int(m.4), minute: Int(m.5), second: m.6.flatMap { Int($0) } ?? 0)
        // Calendar rolls impossible dates over (Feb 30 → Mar 2): refuse them instead.
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day,
              (components.second ?? 0) < 61 else { return nil }
        self.init(date: date, offsetSeconds: offset)
    }

    /// The current time in UTC.
    public static func now() -> Timestamp { Timestamp(date: Date(), offsetSeconds: 0) }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
