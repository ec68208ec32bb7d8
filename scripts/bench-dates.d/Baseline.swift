import Foundation

/// The date code Tidings used before the one date module (commit cf92bf1), kept only as the
/// baseline of scripts/bench-dates: a Regex and a Calendar per RFC 3339 parse, a Calendar per
/// format, DateFormatters per HTTP date, regexes for feed dates and link hints.
enum Baseline {
    static func rfc3339(_ text: String) -> (Date, Int)? {
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
              let hour = Int(m.4), hour < 24, let minute = Int(m.5), minute < 60, abs(offset) < 18 * 3600 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        let components = DateComponents(year: Int(m.1), month: Int(m.2), day: Int(m.3),
                                        hour: Int(m.4), minute: Int(m.5), second: m.6.flatMap { Int($0) } ?? 0)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day,
              (components.second ?? 0) < 61 else { return nil }
        return (date, offset)
    }

    static func format(_ date: Date, offsetSeconds: Int) -> String {
        let shifted = date.addingTimeInterval(TimeInterval(offsetSeconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: shifted)
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let minutes = abs(offsetSeconds) / 60
            zone = (offsetSeconds < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
        }
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))" + zone
    }

    static func pad(_ value: Int, _ width: Int = 2) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                         "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    nonisolated(unsafe) static let rfc822 = #/^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?$/#
    nonisolated(unsafe) static let hint = #/(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(?:T\s*)?(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?/#

    static func feedDate(_ raw: String, zone: TimeZone) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let (date, _) = rfc3339(text) { return date }
        if let m = text.wholeMatch(of: rfc822), let day = Int(m.1), let month = months[String(m.2.prefix(3)).lowercased()],
           let year = Int(m.3), let hour = Int(m.4), let minute = Int(m.5) {
            var offset = zone.secondsFromGMT()
            if let z = m.7, z.hasPrefix("+") || z.hasPrefix("-"), let hhmm = Int(z.dropFirst()) {
                offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (z.hasPrefix("-") ? -1 : 1)
            }
            return make(year, month, day, hour, minute, m.6.flatMap { Int($0) } ?? 0, TimeZone(secondsFromGMT: offset) ?? zone)
        }
        return textHint(text, zone: zone)
    }

    static func textHint(_ text: String, zone: TimeZone) -> Date? {
        guard let m = text.firstMatch(of: hint), let y = Int(m.1), let mo = Int(m.2), let d = Int(m.3) else { return nil }
        return make(y, mo, d, m.4.flatMap { Int($0) } ?? 0, m.5.flatMap { Int($0) } ?? 0, m.6.flatMap { Int($0) } ?? 0, zone)
    }

    static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)),
              calendar.component(.day, from: date) == d else { return nil }
        return date
    }
}
