import Foundation

/// The one formatter for dates Tidings writes. Locale-free and Calendar-free, so the output
/// never depends on the machine and formatting costs a few integer operations.
extension Timestamp {
    public enum Style: Sendable {
        /// RFC 3339 in the timestamp's offset: `2023-06-17T02:27:18+08:00`, `…Z` for UTC.
        case rfc3339
        /// RFC 822/1123 as RSS 2.0 wants it, in the timestamp's offset: `Sat, 17 Jun 2023 02:27:18 +0800`.
        case rfc822
        /// IMF-fixdate (RFC 9110 §5.6.7), always in GMT: `Sat, 16 Jun 2023 18:27:18 GMT`.
        case imfFixdate
        /// The calendar day in the timestamp's offset: `2023-06-17`.
        case day
        /// For people: `2023-06-17 02:27 +08:00`, or `… UTC`.
        case readable
    }

    /// The timestamp printed in `style`. Moments beyond years 0000–9999 print as the nearest
    /// end of that range, and an offset of a day or more as UTC: the text is always well formed.
    public func formatted(_ style: Style) -> String {
        let seconds = CivilTime.epochSeconds(of: date)
            ?? (date.timeIntervalSince1970 < 0 ? CivilTime.printableSeconds.lowerBound : CivilTime.printableSeconds.upperBound)
        let offset = style == .imfFixdate || offsetSeconds.magnitude >= CivilCalendar.secondsPerDay ? 0 : offsetSeconds
        let c = CivilTime(epochSeconds: seconds, offsetSeconds: offset)
        var out = DateText()
        switch style {
        case .rfc3339:
            out.day(c)
            out.byte(0x54)  // T
            out.clock(c, seconds: true)
            if offset == 0 { out.byte(0x5A) } else { out.offset(offset, colon: true) }  // Z
        case .rfc822, .imfFixdate:
            out.ascii(InternetNames.weekdays[c.weekday])
            out.ascii(", ")
            out.number(c.day, 2)
            out.byte(0x20)
            out.ascii(InternetNames.months[c.month - 1])
            out.byte(0x20)
            out.number(c.year, 4)
            out.byte(0x20)
            out.clock(c, seconds: true)
            out.byte(0x20)
            if style == .imfFixdate { out.ascii("GMT") } else { out.offset(offset, colon: false) }
        case .day:
            out.day(c)
        case .readable:
            out.day(c)
            out.byte(0x20)
            out.clock(c, seconds: false)
            out.byte(0x20)
            if offset == 0 { out.ascii("UTC") } else { out.offset(offset, colon: true) }
        }
        return out.string
    }

    /// This timestamp as RFC 3339 and xsd:dateTime can carry it (feeds): an offset beyond
    /// ±14:00 or not in whole minutes becomes UTC; nil when the year is outside 0001–9999
    /// (a misparsed page date), so the caller can fall back to another time.
    public var printable: Timestamp? {
        var result = self
        if result.offsetSeconds.magnitude > UTCOffset.widestSeconds || result.offsetSeconds % 60 != 0 {
            result.offsetSeconds = 0
        }
        guard let seconds = CivilTime.epochSeconds(of: date, within: -Self.farSeconds...Self.farSeconds) else { return nil }
        let year = CivilTime(epochSeconds: seconds, offsetSeconds: result.offsetSeconds).year
        return (1...9999).contains(year) ? result : nil
    }

    /// Farther than this from 1970 no date is worth printing (about 300,000 years), and the
    /// integer arithmetic stays far from overflow.
    private static let farSeconds = 10_000_000_000_000

}

/// The bytes of one formatted date, written without intermediate strings.
private struct DateText {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(32) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func ascii(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Zero-padded to `width` digits; a negative number keeps its sign in front.
    mutating func number(_ value: Int, _ width: Int) {
        if value < 0 { bytes.append(0x2D) }
        var rest = value.magnitude
        var count = 1
        while rest >= 10 { rest /= 10; count += 1 }
        if count < width { bytes.append(contentsOf: repeatElement(0x30, count: width - count)) }
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(0x30, count: count))
        rest = value.magnitude
        for k in stride(from: end - 1, through: end - count, by: -1) {
            bytes[k] = UInt8(rest % 10) + 0x30
            rest /= 10
        }
    }

    mutating func day(_ c: CivilTime) {
        number(c.year, 4)
        byte(0x2D)
        number(c.month, 2)
        byte(0x2D)
        number(c.day, 2)
    }

    mutating func clock(_ c: CivilTime, seconds: Bool) {
        number(c.hour, 2)
        byte(0x3A)
        number(c.minute, 2)
        if seconds {
            byte(0x3A)
            number(c.second, 2)
        }
    }

    /// `+08:00` or `+0800`.
    mutating func offset(_ seconds: Int, colon: Bool) {
        byte(seconds < 0 ? 0x2D : 0x2B)
        number(Int(seconds.magnitude) / 3600, 2)
        if colon { byte(0x3A) }
        number(Int(seconds.magnitude) / 60 % 60, 2)
    }
}
