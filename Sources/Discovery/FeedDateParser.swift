import Foundation
import TidingsCore

/// Dates as feeds write them: RFC 822/1123 in RSS (`Fri, 28 Nov 2025 09:30:00 +0800`),
/// RFC 3339 in Atom and `dc:date`, and the Chinese CMS habit `2025-11-28 09:30:00` (no offset:
/// the configured zone).
enum FeedDateParser {
    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                         "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    /// RFC 822 §5.1 zone names (military single letters are not used by real feeds).
    static let zoneNames = ["ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6,
                            "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7]

    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let rfc822 = #/^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?$/#

    static func parse(_ raw: String, zone: TimeZone) -> Timestamp? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let t = Timestamp(rfc3339: text) { return t }
        if let t = parseRFC822(text, zone: zone) { return t }
        return DateHintParser.parse(text: text, zone: zone)
    }

    static func parseRFC822(_ text: String, zone: TimeZone) -> Timestamp? {
        guard let m = text.wholeMatch(of: rfc822),
              let day = Int(m.1), let month = months[String(m.2.prefix(3)).lowercased()],
              var year = Int(m.3), let hour = Int(m.4), let minute = Int(m.5) else { return nil }
        if year < 100 { year += year < 70 ? 2000 : 1900 }
        let second = m.6.flatMap { Int($0) } ?? 0
        let offset: Int
        if let z = m.7 {
            let s = String(z)
            if s.hasPrefix("+") || s.hasPrefix("-"), let hhmm = Int(s.dropFirst()) {
                offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (s.hasPrefix("-") ? -1 : 1)
            } else if let hours = zoneNames[s.lowercased()] {
                offset = hours * 3600
            } else {
                return DateHintParser.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, zone: zone)
            }
        } else {
            return DateHintParser.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, zone: zone)
        }
        guard let fixed = TimeZone(secondsFromGMT: offset) else { return nil }
        return DateHintParser.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, zone: fixed)
    }
}
