import Foundation

/// Proleptic Gregorian arithmetic on plain integers: what the date parsers and formatters
/// use instead of a `Calendar` (building one per call was most of the cost of reading a date).
/// Days are counted from 1970-01-01 (day 0); the algorithms are the usual era-based ones
/// (400-year cycles of 146,097 days), exact for every year an `Int` can hold.
enum CivilCalendar {
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// True when the day exists (no 30 February, no month 13).
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysInMonth(month, year: year)
    }

    /// Days since 1970-01-01 of a valid date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day counted from 1970-01-01.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(days: Int) -> Int {
        let w = (days + 4) % 7   // 1970-01-01 was a Thursday
        return w < 0 ? w + 7 : w
    }

    static let secondsPerDay = 86_400
}

/// A moment broken into the fields printed for it in one UTC offset.
struct CivilTime {
    var year, month, day, hour, minute, second, weekday: Int

    /// Seconds since the epoch a `Date` can be formatted at: 0000-01-01 to 9999-12-31 UTC,
    /// so every printed year has four digits and no conversion to `Int` can trap.
    static let printableSeconds = -62_167_219_200...253_402_300_799

    /// The fields of `seconds` since the epoch shifted by `offsetSeconds`.
    init(epochSeconds seconds: Int, offsetSeconds: Int) {
        let local = seconds + offsetSeconds
        let days = local >= 0 ? local / CivilCalendar.secondsPerDay : (local - CivilCalendar.secondsPerDay + 1) / CivilCalendar.secondsPerDay
        let secondOfDay = local - days * CivilCalendar.secondsPerDay
        (year, month, day) = CivilCalendar.date(days: days)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        weekday = CivilCalendar.weekday(days: days)
    }

    /// Whole seconds of a `Date`, or nil when it is not finite or farther than `limit` seconds
    /// from the epoch.
    static func epochSeconds(of date: Date, within limit: ClosedRange<Int> = printableSeconds) -> Int? {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t.isFinite, t >= Double(limit.lowerBound), t <= Double(limit.upperBound) else { return nil }
        return Int(t)
    }
}
