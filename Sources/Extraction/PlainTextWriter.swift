/// Builds plain text with collapsed whitespace: paragraphs separated by a blank line,
/// `<br>` as a line break, XML-illegal characters removed.
struct PlainTextWriter {
    private var bytes: [UInt8] = []
    private var pendingBreak = 0  // 0 none, 1 line, 2 paragraph
    private var atLineStart = true
    private var needsSpace = false
    private var suspended = 0

    var output: String { String(decoding: bytes, as: UTF8.self) }

    /// The output's non-empty lines (split on bytes: `String.split` walks grapheme clusters).
    var lines: [String] {
        bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }

    mutating func suspend() { suspended += 1 }
    mutating func resume() { suspended -= 1 }

    mutating func breakParagraph() {
        if !bytes.isEmpty { pendingBreak = 2 }
        atLineStart = true
        needsSpace = false
    }

    /// A line break; a second one with no text in between makes a paragraph break (`<br><br>`).
    mutating func breakLine() {
        if !bytes.isEmpty { pendingBreak = pendingBreak >= 1 ? 2 : 1 }
        atLineStart = true
        needsSpace = false
    }

    mutating func append(_ raw: String) {
        var copy = raw
        copy.withUTF8 { buffer in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: buffer.count + 1) { temp in
                _ = temp.initialize(fromContentsOf: buffer)
                temp[buffer.count] = 0
                append(UnsafePointer(temp.baseAddress!))
            }
        }
    }

    /// Appends NUL-terminated UTF-8 text, collapsing every kind of space.
    mutating func append(_ text: UnsafePointer<UInt8>) {
        guard suspended == 0 else { return }
        var p = text
        while p.pointee != 0 {
            let length = UTF8Scan.sequenceLength(p)
            if UTF8Scan.isSpace(p, length) {
                if !atLineStart { needsSpace = true }
                p += length
                continue
            }
            if UTF8Scan.isIllegal(p, length) { p += length; continue }
            if pendingBreak > 0 {
                bytes.append(0x0A)
                if pendingBreak == 2 { bytes.append(0x0A) }
                pendingBreak = 0
                needsSpace = false
            } else if needsSpace {
                bytes.append(0x20)
                needsSpace = false
            }
            for k in 0..<length { bytes.append(p[k]) }
            atLineStart = false
            p += length
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0xA0, 0x3000, 0x200B, 0xFEFF: return true
        default: return false
        }
    }
}

/// Byte-level helpers for NUL-terminated UTF-8 from libxml2.
enum UTF8Scan {
    /// Length of the sequence starting at `p`, never running past a NUL.
    @inline(__always) static func sequenceLength(_ p: UnsafePointer<UInt8>) -> Int {
        let b = p.pointee
        let expected = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        var k = 1
        while k < expected && p[k] != 0 { k += 1 }
        return k
    }

    /// Spaces: ASCII, no-break (C2 A0), ideographic (E3 80 80), zero-width (E2 80 8B), BOM (EF BB BF).
    @inline(__always) static func isSpace(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        switch length {
        case 1: let b = p.pointee; return b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
        case 2: return p[0] == 0xC2 && p[1] == 0xA0
        case 3:
            return (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) || (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8B)
                || (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        default: return false
        }
    }

    /// Characters XML 1.0 forbids: C0 controls other than tab/newline/return, U+FFFE, U+FFFF;
    /// and DEL, which it allows but discourages (§2.2) and HTML reads as a parse error, so
    /// that no control character reaches a feed (found by `scripts/fuzz sanitize`).
    @inline(__always) static func isIllegal(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length == 1 { let b = p.pointee; return (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F }
        return length == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)
    }
}

/// Characters allowed in XML 1.0 text, DEL left out as `UTF8Scan.isIllegal` does.
enum XMLText {
    static func isLegal(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: return true
        case 0x7F: return false
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
