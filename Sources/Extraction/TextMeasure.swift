/// Counts of one piece of text, measured straight from UTF-8 bytes.
struct TextMeasure {
    /// Non-space characters.
    var characters: Int32 = 0
    /// Han, kana and hangul characters (one word each for the purposes of density).
    var cjk: Int32 = 0
    /// Sentence punctuation: , . ; ! ? and their CJK forms (，。、；！？：).
    var punctuation: Int32 = 0

    static func += (lhs: inout TextMeasure, rhs: TextMeasure) {
        lhs.characters += rhs.characters
        lhs.cjk += rhs.cjk
        lhs.punctuation += rhs.punctuation
    }

    /// Length in "Latin-equivalent" characters: a CJK character carries about as much text as
    /// three Latin letters (tuned on cwce_zh vs scrapinghub paragraph lengths).
    var weightedLength: Int {
        Int(characters) + Int(cjk) * Heuristics.cjkCharacterWeight
    }

    /// Measures a NUL-terminated UTF-8 buffer.
    static func of(_ bytes: UnsafePointer<UInt8>) -> TextMeasure {
        var m = TextMeasure()
        var p = bytes
        while true {
            let b = p.pointee
            if b == 0 { break }
            if b < 0x80 {
                switch b {
                case 0x20, 0x09, 0x0A, 0x0D, 0x0C: break
                case UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";"), UInt8(ascii: "!"), UInt8(ascii: "?"):
                    m.characters += 1; m.punctuation += 1
                default: m.characters += 1
                }
                p += 1
            } else if b < 0xE0 {
                // two-byte sequence; C2 A0 is a no-break space
                if !(b == 0xC2 && p[1] == 0xA0) { m.characters += 1 }
                p += p[1] == 0 ? 1 : 2
            } else if b < 0xF0 {
                guard p[1] != 0, p[2] != 0 else { p += 1; continue }
                let scalar = (UInt32(b & 0x0F) << 12) | (UInt32(p[1] & 0x3F) << 6) | UInt32(p[2] & 0x3F)
                switch scalar {
                case 0x3000, 0x200B, 0xFEFF: break  // ideographic space, zero-width space, BOM
                case 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF01, 0xFF1F, 0xFF1A:
                    m.characters += 1; m.punctuation += 1
                case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF:
                    m.characters += 1; m.cjk += 1
                default: m.characters += 1
                }
                p += 3
            } else {
                m.characters += 1
                var step = 1
                while step < 4 && p[step] != 0 && p[step] & 0xC0 == 0x80 { step += 1 }
                p += step
            }
        }
        return m
    }
}
