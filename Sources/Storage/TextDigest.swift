/// A cheap digest of an article's text with whitespace ignored, so a re-fetch that only
/// changes spacing does not count as an edit.
enum TextDigest {
    static func of(_ text: String) -> String {
        // FNV-1a over the non-whitespace scalars: stable across runs and platforms. The values
        // are stored, so the set of skipped scalars must never change.
        var hash: UInt64 = 0xcbf29ce484222325
        for scalar in text.unicodeScalars where !isWhitespace(scalar.value) {
            hash ^= UInt64(scalar.value)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }

    /// Foundation's `CharacterSet.whitespacesAndNewlines` on Linux (general categories Z*,
    /// U+0009–U+000D, U+0085 and U+200B), spelt out: looking the set up per scalar was most
    /// of the cost. Checked against the set over all of Unicode by StoreFormatTests.
    @inline(__always)
    static func isWhitespace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
