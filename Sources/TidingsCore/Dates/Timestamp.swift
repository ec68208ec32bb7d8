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

    /// Parses RFC 3339 / ISO 8601 date-times with `Z` or a `±hh:mm` offset (see `RFC3339`).
    /// An offset beyond ±14:00 keeps its moment and reads as UTC (`UTCOffset.normalized`).
    public init?(rfc3339 text: String) {
        guard let fields = RFC3339.parse(text) else { return nil }
        self = fields.timestamp(in: .gmt)
    }

    /// The current time in UTC.
    public static func now() -> Timestamp { Timestamp(date: Date(), offsetSeconds: 0) }

    /// RFC 3339 with the original offset, e.g. `2023-06-17T02:27:18+08:00`.
    public var rfc3339: String { formatted(.rfc3339) }
}
