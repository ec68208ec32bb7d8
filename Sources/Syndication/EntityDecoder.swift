/// Decodes, once, the HTML character references that scraping leaves in plain text
/// (`&nbsp;`, `&amp;`, `&#8220;`, `&#x4E2D;`), as when a site double-encodes its titles.
/// Unknown names stay as they are; references to characters XML forbids are dropped.
enum EntityDecoder {
    /// The named references seen in scraped titles and bylines; HTML's full table is not needed
    /// because the extractor already decodes the document once.
    static let named: [Substring: String] = [
        "nbsp": "\u{00A0}", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "middot": "\u{00B7}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "laquo": "\u{00AB}", "raquo": "\u{00BB}", "copy": "\u{00A9}", "reg": "\u{00AE}",
        "trade": "\u{2122}", "bull": "\u{2022}", "times": "\u{00D7}",
    ]

    /// Longest reference name looked at (`&thinsp;` is the longest in `named`; numeric ones
    /// are at most `&#x10FFFF;`).
    static let longestReference = 10

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&",
                  let semicolon = text[index...].prefix(longestReference + 2).firstIndex(of: ";") else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let name = text[text.index(after: index)..<semicolon]
            if let replacement = replacement(for: name) {
                result += replacement
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    private static func replacement(for name: Substring) -> String? {
        if let value = named[name] { return value }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let number: UInt32?
        if digits.first == "x" || digits.first == "X" {
            number = UInt32(digits.dropFirst(), radix: 16)
        } else {
            number = UInt32(digits, radix: 10)
        }
        guard let number else { return nil }
        guard let scalar = Unicode.Scalar(number), FeedText.isAllowed(scalar) else { return "" }
        return String(Character(scalar))
    }
}
