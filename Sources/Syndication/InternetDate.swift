import Foundation
import TidingsCore

/// RFC 822/1123 dates as RSS 2.0 wants them (`Sat, 17 Jun 2023 02:27:18 +0800`), printed
/// in the timestamp's own offset. Locale-free so the output never depends on the machine.
enum InternetDate {
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func string(_ timestamp: Timestamp) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let shifted = timestamp.date.addingTimeInterval(TimeInterval(timestamp.offsetSeconds))
        let c = calendar.dateComponents([.weekday, .year, .month, .day, .hour, .minute, .second], from: shifted)
        let minutes = abs(timestamp.offsetSeconds) / 60
        let zone = (timestamp.offsetSeconds < 0 ? "-" : "+") + pad(minutes / 60) + pad(minutes % 60)
        return "\(weekdays[c.weekday! - 1]), \(pad(c.day!)) \(months[c.month! - 1]) \(pad(c.year!, 4)) "
            + "\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)) \(zone)"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
