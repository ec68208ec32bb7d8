import Foundation

/// A date as written: calendar fields plus a UTC offset when the text carries one. Every
/// field is range-checked on the way in, so a value from outside can never reach a
/// force-unwrap or a `TimeZone` that does not exist.
public struct DateFields: Sendable, Hashable {
    public var year, month, day: Int
    public var hour: Int?
    public var minute: Int?
    public var second: Int?
    /// Seconds east of UTC, less than 24 hours either way.
    public var offsetSeconds: Int?

    /// Nil unless the day exists (no 30 February) and the time of day is one (second 60 is a
    /// leap second) and an offset is less than a day.
    public init?(year: Int, month: Int, day: Int, hour: Int? = nil, minute: Int? = nil, second: Int? = nil,
                 offsetSeconds: Int? = nil) {
        guard (-9999...9999).contains(year), CivilCalendar.isValid(year: year, month: month, day: day),
              (0...23).contains(hour ?? 0), (0...59).contains(minute ?? 0), (0...60).contains(second ?? 0),
              (offsetSeconds ?? 0).magnitude < CivilCalendar.secondsPerDay else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetSeconds = offsetSeconds
    }

    public var hasTime: Bool { hour != nil }

    /// Seconds since the epoch of these fields read as UTC.
    var localSeconds: Int {
        CivilCalendar.days(year: year, month: month, day: day) * CivilCalendar.secondsPerDay
            + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0)
    }

    /// The moment these fields name. Fields without an offset are read in `zone` (its offset
    /// at that local time, so summer time is right); a written offset wins, and one no zone
    /// has is printed as UTC (`UTCOffset.normalized`).
    public func timestamp(in zone: TimeZone) -> Timestamp {
        let local = localSeconds
        if let offsetSeconds {
            return Timestamp(date: Date(timeIntervalSince1970: Double(local - offsetSeconds)),
                             offsetSeconds: UTCOffset.normalized(offsetSeconds))
        }
        // The zone's offset is looked up at the instant the local time would have in UTC, then
        // again at the corrected instant: two steps settle every real zone's transitions.
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
        let offset = UTCOffset.normalized(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - guess))))
        return Timestamp(date: Date(timeIntervalSince1970: Double(local - offset)), offsetSeconds: offset)
    }
}

/// The one rule for UTC offsets read from outside.
public enum UTCOffset {
    /// The widest offset in use (Line Islands, +14:00); RFC 3339 grammar allows up to ±23:59
    /// and Foundation's `TimeZone` only ±18:00, which is where a crash came from.
    public static let widestSeconds = 14 * 3600

    /// Seconds east of UTC for a written `±hh:mm`, or nil when it is no offset at all
    /// (`hh` above 23 or `mm` above 59).
    public static func seconds(sign: Int, hours: Int, minutes: Int) -> Int? {
        guard (0...23).contains(hours), (0...59).contains(minutes) else { return nil }
        return (sign < 0 ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// An offset no zone has (beyond ±14:00, as miniflux's `checkTimezoneRange` decides) is
    /// shown as UTC: the moment it names is kept, only the way it is printed changes.
    public static func normalized(_ seconds: Int) -> Int {
        seconds.magnitude > widestSeconds ? 0 : seconds
    }
}
