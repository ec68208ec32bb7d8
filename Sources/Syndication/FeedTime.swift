import Foundation
import TidingsCore

/// Times as feeds can carry them: RFC 3339 and xsd:dateTime allow offsets of at most
/// ±14:00 in whole minutes and years 0001–9999. A timestamp outside that (a misparsed
/// page date) is printed in UTC, or replaced when even its year is impossible.
enum FeedTime {
    /// The widest real-world UTC offset (Line Islands, +14:00); also the xsd:dateTime limit.
    static let widestOffsetSeconds = 14 * 3600

    static func printable(_ timestamp: Timestamp) -> Timestamp? {
        var result = timestamp
        if abs(result.offsetSeconds) > widestOffsetSeconds || result.offsetSeconds % 60 != 0 {
            result.offsetSeconds = 0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let shifted = result.date.addingTimeInterval(TimeInterval(result.offsetSeconds))
        let components = calendar.dateComponents([.era, .year], from: shifted)
        guard components.era == 1, let year = components.year, (1...9999).contains(year) else { return nil }
        return result
    }
}
