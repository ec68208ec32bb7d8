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
    static func problem(in text: String) -> String? {
        var total = 0
        var bad = 0
        var sawTag = false
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars.prefix(sampleSize) {
            total += 1
            if scalar == "\u{FFFD}" || (scalar.value < 0x20 && scalar != "\n" && scalar != "\r" && scalar != "\t") {
                bad += 1
            }
            if previous == "<", scalar.properties.isAlphabetic || scalar == "!" || scalar == "/" { sawTag = true }
            previous = scalar
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
