import Foundation
import TidingsCore

/// Publication dates printed next to links (`2025-11-28`, `2025年11月28日 09:30`) or in URLs
/// (`/2025/1128/`, `t20230617_`). Dates without an offset take the configured zone.
enum DateHintParser {
    /// Text around a link longer than this is a teaser paragraph or a whole list, where a
    /// date would likely belong to something else.
    static let maximumContextCharacters = 240

    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let textPattern = #/(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(?:T\s*)?(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?/#
    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let urlPatterns: [Regex<(Substring, Substring, Substring, Substring)>] = [
        #/(20\d\d)[-/_]?([01]\d)[-/_]?([0-3]\d)(?:\D|$)/#,
        #/(20\d\d)([01]\d)/([0-3]\d)/#,
        #/(20\d\d)/([01]\d)([0-3]\d)/#,
    ]

    static func parse(text: String, zone: TimeZone) -> Timestamp? {
        guard let m = text.firstMatch(of: textPattern) else { return nil }
        return make(year: Int(m.1), month: Int(m.2), day: Int(m.3),
                    hour: m.4.flatMap { Int($0) } ?? 0, minute: m.5.flatMap { Int($0) } ?? 0,
                    second: m.6.flatMap { Int($0) } ?? 0, zone: zone)
    }

    static func parse(url: URL, zone: TimeZone) -> Timestamp? {
        let path = url.path + (url.query.map { "?" + $0 } ?? "")
        for pattern in urlPatterns {
            if let m = path.firstMatch(of: pattern),
               let t = make(year: Int(m.1), month: Int(m.2), day: Int(m.3), hour: 0, minute: 0, second: 0, zone: zone) {
                return t
            }
        }
        return nil
    }

    static func make(year: Int?, month: Int?, day: Int?, hour: Int, minute: Int, second: Int, zone: TimeZone) -> Timestamp? {
        guard let year, let month, let day, (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return Timestamp(date: date, offsetSeconds: zone.secondsFromGMT(for: date))
    }
}
