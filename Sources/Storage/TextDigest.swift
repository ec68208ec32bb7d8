import Foundation

/// A cheap digest of an article's text with whitespace ignored, so a re-fetch that only
/// changes spacing does not count as an edit.
enum TextDigest {
    static func of(_ text: String) -> String {
        // FNV-1a over the non-whitespace scalars: stable across runs and platforms.
        var hash: UInt64 = 0xcbf29ce484222325
        for scalar in text.unicodeScalars where !CharacterSet.whitespacesAndNewlines.contains(scalar) {
            hash ^= UInt64(scalar.value)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }
}
