import Foundation
import TidingsCore

/// Near-duplicate detection for article text: a 64-bit SimHash over shingles (character
/// 3-grams for CJK text, word 3-grams otherwise), compared by Hamming distance.
///
/// Typical use (the Store/Refresh): store `SimHash.fingerprint(article.text)` with each
/// article; a new article whose fingerprint is within `nearDuplicateDistance` bits of one
/// from another source is the same story (a wire story republished by several portals).
public enum SimHash {
    /// Characters per shingle for CJK text (a character is roughly a syllable; 3 ≈ a short word pair).
    public static let cjkShingleLength = 3
    /// Words per shingle for other scripts.
    public static let wordShingleLength = 3
    /// Fingerprints this close (in differing bits of 64) are the same text; see
    /// `ArticleFingerprint.nearDuplicateDistance` for how it was calibrated.
    public static let nearDuplicateDistance = ArticleFingerprint.nearDuplicateDistance
    /// Texts with fewer shingles give no fingerprint: a short text's hash is too unstable.
    public static let minimumShingles = 24
    /// Text counts as CJK when at least this share of its letters are CJK characters.
    static let cjkShare = 0.3

    /// The fingerprint of `text`, or nil when the text is too short to compare reliably.
    public static func fingerprint(_ text: String) -> UInt64? {
        let shingles = self.shingles(text)
        guard shingles.count >= minimumShingles else { return nil }
        var weights = [Int](repeating: 0, count: 64)
        for shingle in shingles {
            let h = fnv1a64(shingle)
            for bit in 0..<64 { weights[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var value: UInt64 = 0
        for bit in 0..<64 where weights[bit] > 0 { value |= 1 << UInt64(bit) }
        return value
    }

    /// Differing bits between two fingerprints.
    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// True when the two texts are the same story (both long enough and within `maximumDistance`).
    public static func isNearDuplicate(_ a: String, _ b: String, maximumDistance: Int = nearDuplicateDistance) -> Bool {
        guard let fa = fingerprint(a), let fb = fingerprint(b) else { return false }
        return distance(fa, fb) <= maximumDistance
    }

    /// Same as `isNearDuplicate` for stored fingerprints.
    public static func isNearDuplicate(_ a: UInt64, _ b: UInt64, maximumDistance: Int = nearDuplicateDistance) -> Bool {
        distance(a, b) <= maximumDistance
    }

    /// The shingles of a text, punctuation and spacing ignored, Latin letters lower-cased.
    static func shingles(_ text: String) -> [String] {
        var cjk = 0, letters = 0
        var tokens: [String] = []   // CJK characters one by one, other words whole
        var word = ""
        func flush() { if !word.isEmpty { tokens.append(word); word = "" } }
        for scalar in text.unicodeScalars {
            if CJKScript.contains(scalar) {
                flush(); cjk += 1; letters += 1
                tokens.append(String(scalar))
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                letters += 1
                word.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                flush()
            }
        }
        flush()
        let isCJK = letters > 0 && Double(cjk) / Double(letters) >= cjkShare
        let n = isCJK ? cjkShingleLength : wordShingleLength
        guard tokens.count >= n else { return tokens.isEmpty ? [] : [tokens.joined(separator: " ")] }
        return (0...(tokens.count - n)).map { tokens[$0..<($0 + n)].joined(separator: " ") }
    }

    /// FNV-1a, 64 bits: stable across runs and machines (Swift's Hasher is seeded per process).
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}
