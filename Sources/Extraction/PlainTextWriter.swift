/// Builds plain text with collapsed whitespace: paragraphs separated by a blank line,
/// `<br>` as a line break, XML-illegal characters removed.
struct PlainTextWriter {
    private(set) var output = ""
    private var pendingBreak = 0  // 0 none, 1 line, 2 paragraph
    private var atLineStart = true
    private var needsSpace = false
    private var suspended = 0

    mutating func suspend() { suspended += 1 }
    mutating func resume() { suspended -= 1 }

    mutating func breakParagraph() {
        if !output.isEmpty { pendingBreak = 2 }
        atLineStart = true
        needsSpace = false
    }

    mutating func breakLine() {
        if !output.isEmpty { pendingBreak = max(pendingBreak, 1) }
        atLineStart = true
        needsSpace = false
    }

    mutating func append(_ raw: String) {
        guard suspended == 0 else { return }
        for scalar in raw.unicodeScalars {
            if Self.isSpace(scalar) {
                if !atLineStart { needsSpace = true }
                continue
            }
            guard XMLText.isLegal(scalar) else { continue }
            if pendingBreak > 0 {
                output += pendingBreak == 2 ? "\n\n" : "\n"
                pendingBreak = 0
                needsSpace = false
            } else if needsSpace {
                output.unicodeScalars.append(" ")
                needsSpace = false
            }
            output.unicodeScalars.append(scalar)
            atLineStart = false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0xA0, 0x3000, 0x200B, 0xFEFF: return true
        default: return false
        }
    }
}

/// Characters allowed in XML 1.0 text.
enum XMLText {
    static func isLegal(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !isLegal($0) }) else { return s }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s.unicodeScalars.filter(isLegal))
        return String(out)
    }
}
