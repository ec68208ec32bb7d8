import Foundation

/// HTTP dates (RFC 9110 §5.6.7): `Last-Modified`, `If-Modified-Since`, `Retry-After`.
public enum HTTPDate {
    /// IMF-fixdate, the only form a sender may write: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ date: Date) -> String {
        Timestamp(date: date, offsetSeconds: 0).formatted(.imfFixdate)
    }

    /// IMF-fixdate, and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms recipients must still accept. The weekday is not
    /// checked against the date (§5.6.7 lets recipients ignore it); the zone must be GMT (UTC
    /// and UT are taken too). Surrounding blanks are ignored.
    public static func parse(_ text: String) -> Date? {
        DateCursor.reading(text) { cursor -> Date? in
            cursor.skipBlanks()
            guard cursor.word().count >= 3 else { return nil }
            let fields = cursor.take(0x2C) ? fixdateOrRFC850(&cursor) : asctime(&cursor)
            cursor.skipBlanks()
            guard let fields, cursor.isAtEnd else { return nil }
            return fields.timestamp(in: .gmt).date
        }
    }

    /// After `Sun,`: ` 06 Nov 1994 08:49:37 GMT` or ` 06-Nov-94 08:49:37 GMT`.
    private static func fixdateOrRFC850(_ cursor: inout DateCursor) -> DateFields? {
        cursor.skipBlanks()
        guard let (day, _) = cursor.digits(from: 1, to: 2) else { return nil }
        let dashed = cursor.take(0x2D)
        if !dashed { guard cursor.skipBlanks() else { return nil } }
        guard let month = InternetNames.month(cursor.word()) else { return nil }
        var year: Int
        if dashed {
            guard cursor.take(0x2D), let yy = cursor.digits(from: 2, to: 4) else { return nil }
            year = yy.value
            if yy.count == 2 { year += year < 70 ? 2000 : 1900 }   // RFC 9110 §5.6.7: a 2-digit year is the nearest past century
        } else {
            guard cursor.skipBlanks(), let yyyy = cursor.digits(4) else { return nil }
            year = yyyy
        }
        guard cursor.skipBlanks(), let time = clock(&cursor), cursor.skipBlanks(), isGMT(cursor.word()) else { return nil }
        return DateFields(year: year, month: month, day: day, hour: time.0, minute: time.1, second: time.2, offsetSeconds: 0)
    }

    /// After `Sun`: ` Nov  6 08:49:37 1994`.
    private static func asctime(_ cursor: inout DateCursor) -> DateFields? {
        guard cursor.skipBlanks(), let month = InternetNames.month(cursor.word()), cursor.skipBlanks(),
              let (day, _) = cursor.digits(from: 1, to: 2), cursor.skipBlanks(), let time = clock(&cursor),
              cursor.skipBlanks(), let year = cursor.digits(4) else { return nil }
        return DateFields(year: year, month: month, day: day, hour: time.0, minute: time.1, second: time.2, offsetSeconds: 0)
    }

    /// `hh:mm:ss`.
    static func clock(_ cursor: inout DateCursor) -> (Int, Int, Int)? {
        guard let hour = cursor.digits(2), cursor.take(0x3A), let minute = cursor.digits(2), cursor.take(0x3A),
              let second = cursor.digits(2) else { return nil }
        return (hour, minute, second)
    }

    private static let gmtNames: Set<UInt64> = [DateCursor.packed("gmt"), DateCursor.packed("utc"), DateCursor.packed("ut")]

    private static func isGMT(_ word: (packed: UInt64, count: Int)) -> Bool {
        word.count <= 3 && gmtNames.contains(word.packed)
    }
}
