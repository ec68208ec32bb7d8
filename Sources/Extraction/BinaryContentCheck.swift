/// Recognizes text that is not a web page at all: binary bytes decoded as text leave many
/// replacement characters and control characters, and no markup.
enum BinaryContentCheck {
    /// Share of U+FFFD / C0 control scalars above which decoded text is taken for binary
    /// data. Real pages in the bench corpus (incl. mislabelled GBK) stay under 1%; random
    /// bytes decoded as UTF-8 or GB18030 give 30–60%.
    static let maxUndecodableShare = 0.05
    /// Scalars examined: enough to judge, cheap on large pages.
    static let sampleSize = 20_000

    /// A reason when `text` looks like binary data, nil when it looks like text.
    /// Counts on UTF-8 bytes (a scalar starts at every non-continuation byte; U+FFFD is EF BF BD).
    static func problem(in text: String) -> String? {
        var copy = text
        let (total, bad, sawTag) = copy.withUTF8 { bytes -> (Int, Int, Bool) in
            var total = 0, bad = 0
            var sawTag = false
            var previousWasOpen = false
            var i = 0
            while i < bytes.count && total < sampleSize {
                let b = bytes[i]
                i += 1
                if b & 0xC0 == 0x80 { continue }  // continuation byte
                total += 1
                if b < 0x20 && b != 0x0A && b != 0x0D && b != 0x09 { bad += 1 }
                if b == 0xEF && i + 1 < bytes.count && bytes[i] == 0xBF && bytes[i + 1] == 0xBD { bad += 1 }
                let lower = b | 0x20
                if previousWasOpen && ((lower >= 0x61 && lower <= 0x7A) || b == 0x21 || b == 0x2F || b >= 0xC0) { sawTag = true }
                previousWasOpen = b == 0x3C
            }
            return (total, bad, sawTag)
        }
        guard total > 0 else { return nil }
        let share = Double(bad) / Double(total)
        if share > maxUndecodableShare {
            return "binary or undecodable content (\(Int(share * 100))% of characters are invalid)"
        }
        if !sawTag && total > 200 { return "no HTML markup" }
        return nil
    }
}
