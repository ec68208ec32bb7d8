/// Makes scraped text safe and tidy for feeds: XML-legal characters only, entities that
/// leaked through scraping decoded once, whitespace folded, very long titles shortened.
enum FeedText {
    /// Titles longer than this are cut at a character boundary and end in "…". Real headlines
    /// in the seed corpus (shared/bench/corpus) stay under 120 characters; anything far
    /// longer is a whole paragraph mistaken for a title, which readers show badly.
    static let maximumTitleCharacters = 300

    /// Shown when a title is empty after cleaning, so every reader has something to list.
    static let untitled = "(untitled)"

    /// True for the characters XML 1.0 allows (§2.2 Char) minus the ones it discourages:
    /// C0/C1 controls (except tab and newline), DEL, and Unicode noncharacters. U+FEFF goes
    /// too: inside text it is only ever a byte-order mark left by concatenated files, and
    /// some JSON readers silently drop it, so feeds would disagree.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0xFEFF: return false
        case 0x9, 0xA: return true
        case 0x20...0x7E: return true
        case 0x7F...0x9F: return false
        case 0xA0...0xD7FF: return true
        case 0xFDD0...0xFDEF: return false
        case 0xE000...0xFFFD: return true
        case 0x10000...0x10FFFF: return (v & 0xFFFE) != 0xFFFE
        default: return false
        }
    }

    /// Removes what XML cannot carry; line breaks of any kind become `\n`.
    static func legal(_ text: String) -> String {
        TextEscaper.escaped(text, for: .none)
    }

    /// One line of plain text (titles, names): legal characters, leaked entities decoded,
    /// every run of whitespace (no-break spaces included) folded into one space.
    static func line(_ text: String?) -> String {
        guard let text else { return "" }
        let decoded = EntityDecoder.decode(legal(text))
        return decoded.utf8.allSatisfy({ $0 < 0x80 }) ? asciiLine(decoded) : foldedByCharacters(decoded)
    }

    /// `line`'s folding of decoded text by Characters (any script); `asciiLine` is its fast twin.
    static func foldedByCharacters(_ decoded: String) -> String {
        var result = ""
        result.reserveCapacity(decoded.utf8.count)
        var pendingSpace = false
        for character in decoded {
            if character.isWhitespace || character == "\u{00A0}" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// `line` of ASCII text, byte by byte: every ASCII character is a Character of its own
    /// (CR LF aside, both whitespace), and its whitespace is tab to carriage return and space.
    private static func asciiLine(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(0x20) }
                pendingSpace = false
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// A title as readers should list it: one line, never empty, never absurdly long.
    static func title(_ text: String?) -> String {
        let single = line(text)
        if single.isEmpty { return untitled }
        return shortened(single, to: maximumTitleCharacters)
    }

    /// Cuts at a character (grapheme) boundary and marks the cut with "…".
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let kept = text.prefix(limit - 1)
        return kept.trimmingTrailingSpaces() + "…"
    }

    /// Text without the optional part: nil when nothing but whitespace is left.
    static func nonEmptyLine(_ text: String?) -> String? {
        let single = line(text)
        return single.isEmpty ? nil : single
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[startIndex..<end])
    }
}
