import Foundation

/// A read position in the UTF-8 bytes of a date string, for the strict parsers (RFC 3339,
/// HTTP dates, RFC 822). Works on the string's own storage: no array, no regex.
struct DateCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Runs `body` over the UTF-8 of `text` without copying a native string.
    static func reading<T>(_ text: String, _ body: (inout DateCursor) -> T?) -> T? {
        if let result = text.utf8.withContiguousStorageIfAvailable({ buffer -> T? in
            var cursor = DateCursor(buffer)
            return body(&cursor)
        }) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer { buffer -> T? in
            var cursor = DateCursor(buffer)
            return body(&cursor)
        }
    }

    var isAtEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for k in index..<index + count {
            let b = bytes[k]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        index += count
        return value
    }

    /// Between `minimum` and `maximum` ASCII digits as a number, and how many were read.
    mutating func digits(from minimum: Int, to maximum: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        while count < maximum, let b = current, b >= 0x30 && b <= 0x39 {
            value = value * 10 + Int(b - 0x30)
            index += 1
            count += 1
        }
        if let b = current, count == maximum, b >= 0x30 && b <= 0x39 { return nil }   // too many digits
        return count >= minimum ? (value, count) : nil
    }

    /// Skips a run of ASCII digits of any length without reading their value (a fraction of a
    /// second may be longer than an Int holds); returns how many were skipped.
    mutating func skipDigits() -> Int {
        let start = index
        while let b = current, b >= 0x30 && b <= 0x39 { index += 1 }
        return index - start
    }

    /// ASCII letters, lower-cased and packed into an integer (up to 12 letters), for matching
    /// month, weekday and zone names without a String.
    mutating func word() -> (packed: UInt64, count: Int) {
        var packed: UInt64 = 0
        var count = 0
        while let b = current, (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
            if count < 12 { packed = packed << 5 | UInt64((b | 0x20) - 0x60) }
            count += 1
            index += 1
        }
        return (packed, count)
    }

    /// Skips spaces and tabs; true when at least one was skipped.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = index
        while let b = current, b == 0x20 || b == 0x09 { index += 1 }
        return index > start
    }

    /// `word()`'s packing of a lower-case ASCII name, for tables.
    static func packed(_ name: String) -> UInt64 {
        name.utf8.prefix(12).reduce(0) { $0 << 5 | UInt64(($1 | 0x20) - 0x60) }
    }
}

/// Month and zone names of the Internet formats (RFC 5322 §3.3, RFC 9110 §5.6.7).
enum InternetNames {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let packedMonths = months.map { DateCursor.packed($0) }

    /// 1–12 for a month name: its first three letters decide (`Jun`, `June`, `Sept`).
    static func month(_ word: (packed: UInt64, count: Int)) -> Int? {
        guard word.count >= 3, word.count <= 9 else { return nil }
        let prefix = word.packed >> (5 * UInt64(min(word.count, 12) - 3))
        return packedMonths.firstIndex(of: prefix).map { $0 + 1 }
    }

    /// RFC 822 §5.1 zone names in hours east of UTC (military single letters other than Z are
    /// not used by real feeds and read as unknown).
    static let zones: [UInt64: Int] = [
        DateCursor.packed("ut"): 0, DateCursor.packed("utc"): 0, DateCursor.packed("gmt"): 0, DateCursor.packed("z"): 0,
        DateCursor.packed("est"): -5, DateCursor.packed("edt"): -4, DateCursor.packed("cst"): -6, DateCursor.packed("cdt"): -5,
        DateCursor.packed("mst"): -7, DateCursor.packed("mdt"): -6, DateCursor.packed("pst"): -8, DateCursor.packed("pdt"): -7,
    ]
}
