/// Substring search on UTF-8 bytes, without Foundation's locale-aware (and slow) `range(of:)`.
enum TextSearch {
    /// Byte offset of the first `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        let n = needle.count, h = haystack.count
        guard n > 0, h >= n, from <= h - n else { return nil }
        let first = needle[0]
        var i = from
        while i <= h - n {
            if haystack[i] == first {
                var k = 1
                while k < n && haystack[i + k] == needle[k] { k += 1 }
                if k == n { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(Array(needle.utf8), in: Array(haystack.utf8)) != nil
    }

    /// Trims spaces of every kind (ASCII, no-break, ideographic) from both ends.
    static func trimmed<S: StringProtocol>(_ s: S) -> String {
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !PlainTextWriter.isSpace($0) }),
              let end = scalars.lastIndex(where: { !PlainTextWriter.isSpace($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}
