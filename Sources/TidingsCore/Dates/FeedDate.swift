import Foundation

/// Dates as feeds and sitemaps write them: RFC 3339 in Atom, `dc:date` and sitemaps;
/// RFC 822/1123 in RSS (`Fri, 28 Nov 2025 09:30:00 +0800`); and whatever a CMS prints
/// (`2025-11-28 09:30:00`, `28 Nov 2025`), read by the page-text scanner. Dates without an
/// offset take the configured zone.
public enum FeedDate {
    public static func parse(_ raw: String, zone: TimeZone) -> Timestamp? {
        let text = isTrimmed(raw) ? raw : raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let fields = RFC3339.parse(text) ?? rfc822(text) { return fields.timestamp(in: zone) }
        return DateScanner.first(in: text)?.timestamp(in: zone)
    }

    /// True when neither end is white space (most feed dates): trimming costs more than parsing.
    private static func isTrimmed(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        return !first.properties.isWhitespace && !last.properties.isWhitespace
    }

    /// RFC 822 §5 as RFC 1123 amended it, leniently: optional weekday, 1–2 digit day, a month
    /// name of 3–9 letters (its first three decide), 2- or 4-digit year, `hh:mm[:ss]`, then a
    /// numeric offset, a zone name, or nothing. An unknown zone name leaves the offset unset
    /// (the configured zone applies).
    static func rfc822(_ text: String) -> DateFields? {
        DateCursor.reading(text) { cursor -> DateFields? in
            let weekday = cursor.word()
            if weekday.count > 0 {
                guard weekday.count >= 3, weekday.count <= 9 else { return nil }
                _ = cursor.take(0x2C)
                cursor.skipBlanks()
            }
            guard let (day, _) = cursor.digits(from: 1, to: 2), cursor.skipBlanks(),
                  let month = InternetNames.month(cursor.word()) else { return nil }
            _ = cursor.take(0x2E)
            guard cursor.skipBlanks(), case (var year, let yearDigits)? = cursor.digits(from: 2, to: 4), yearDigits != 3 else { return nil }
            if yearDigits == 2 { year += year < 70 ? 2000 : 1900 }
            guard cursor.skipBlanks(), let (hour, _) = cursor.digits(from: 1, to: 2), cursor.take(0x3A),
                  let minute = cursor.digits(2) else { return nil }
            var second = 0
            if cursor.take(0x3A) {
                guard let s = cursor.digits(2) else { return nil }
                second = s
            }
            cursor.skipBlanks()
            var offset: Int?
            if let sign = cursor.current, sign == 0x2B || sign == 0x2D {
                cursor.index += 1
                guard let hours = cursor.digits(2), let minutes = cursor.digits(2),
                      let seconds = UTCOffset.seconds(sign: sign == 0x2D ? -1 : 1, hours: hours, minutes: minutes) else { return nil }
                offset = seconds
            } else {
                let name = cursor.word()
                guard name.count <= 5 else { return nil }
                if name.count > 0, let hours = InternetNames.zones[name.packed] { offset = hours * 3600 }
            }
            guard cursor.isAtEnd else { return nil }
            return DateFields(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
        }
    }
}
