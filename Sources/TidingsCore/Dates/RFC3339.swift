import Foundation

/// RFC 3339 / ISO 8601 date-times as feeds, JSON-LD and the state database write them:
/// `2023-06-17T02:27:18+08:00`, `2020-01-02T03:04:05.250Z`, `2023-06-17 02:27+0800`.
enum RFC3339 {
    /// The whole text must be one date-time: `YYYY-MM-DD`, `T`/`t`/space, `hh:mm[:ss[.fff]]`,
    /// then `Z` or `±hh[:]mm`. Fractions are dropped (whole seconds, as stored).
    static func parse(_ text: String) -> DateFields? {
        DateCursor.reading(text) { cursor in
            guard let year = cursor.digits(4), cursor.take(0x2D), let month = cursor.digits(2), cursor.take(0x2D),
                  let day = cursor.digits(2) else { return nil }
            guard let separator = cursor.current, separator == 0x54 || separator == 0x74 || separator == 0x20 else { return nil }
            cursor.index += 1
            guard let hour = cursor.digits(2), cursor.take(0x3A), let minute = cursor.digits(2) else { return nil }
            var second = 0
            if cursor.take(0x3A) {
                guard let s = cursor.digits(2) else { return nil }
                second = s
                if cursor.take(0x2E) {
                    guard cursor.skipDigits() > 0 else { return nil }
                }
            }
            guard let offset = zone(&cursor), cursor.isAtEnd else { return nil }
            return DateFields(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
        }
    }

    /// `Z`, `z`, `±hh:mm` or `±hhmm`.
    private static func zone(_ cursor: inout DateCursor) -> Int? {
        if cursor.take(0x5A) || cursor.take(0x7A) { return 0 }
        guard let sign = cursor.current, sign == 0x2B || sign == 0x2D else { return nil }
        cursor.index += 1
        guard let hours = cursor.digits(2) else { return nil }
        _ = cursor.take(0x3A)
        guard let minutes = cursor.digits(2) else { return nil }
        return UTCOffset.seconds(sign: sign == 0x2D ? -1 : 1, hours: hours, minutes: minutes)
    }
}
