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
        let tokens = Tokens(text)
        let n = tokens.shingleLength
        guard tokens.count >= n, tokens.count - n + 1 >= minimumShingles else { return nil }
        var weights = [Int](repeating: 0, count: 64)
        for first in 0...(tokens.count - n) {
            let h = tokens.shingleHash(from: first, length: n)
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

    /// The shingles of a text, punctuation and spacing ignored, letters lower-cased: the
    /// words (or CJK characters) of each run of `shingleLength`, joined by spaces.
    static func shingles(_ text: String) -> [String] {
        let tokens = Tokens(text)
        let n = tokens.shingleLength
        guard tokens.count >= n else { return tokens.count == 0 ? [] : [tokens.joined(from: 0, length: tokens.count)] }
        return (0...(tokens.count - n)).map { tokens.joined(from: $0, length: n) }
    }

    /// A text's tokens (CJK characters one by one, other words whole, lower-cased) as UTF-8
    /// in one buffer with their ends: two allocations per text instead of a String per
    /// character. A shingle is hashed straight from the buffer, as the bytes of its tokens
    /// joined by spaces, so fingerprints equal those of the joined strings.
    struct Tokens {
        private(set) var bytes: [UInt8] = []
        private(set) var ends: [Int] = []
        private(set) var isCJK = false

        var count: Int { ends.count }
        var shingleLength: Int { isCJK ? cjkShingleLength : wordShingleLength }

        init(_ text: String) {
            bytes.reserveCapacity(text.utf8.count)
            var cjk = 0, letters = 0
            var inWord = false
            for scalar in text.unicodeScalars {
                if CJKScript.contains(scalar) {
                    if inWord { ends.append(bytes.count); inWord = false }
                    cjk += 1
                    letters += 1
                    Self.append(scalar, to: &bytes)
                    ends.append(bytes.count)
                } else if Self.isWordPart(scalar) {
                    letters += 1
                    inWord = true
                    Self.appendLowercased(scalar, to: &bytes)
                } else if inWord {
                    ends.append(bytes.count)
                    inWord = false
                }
            }
            if inWord { ends.append(bytes.count) }
            isCJK = letters > 0 && Double(cjk) / Double(letters) >= cjkShare
        }

        /// A letter or an ASCII digit. ASCII is answered without the Unicode property tables
        /// (its only alphabetic characters are A–Z and a–z): most Latin text never needs them.
        @inline(__always)
        static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII {
                let folded = scalar.value | 0x20
                return (folded >= 0x61 && folded <= 0x7A) || (scalar.value >= 0x30 && scalar.value <= 0x39)
            }
            return scalar.properties.isAlphabetic
        }

        private func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

        /// FNV-1a over the tokens `first..<first+length` joined by spaces.
        func shingleHash(from first: Int, length: Int) -> UInt64 {
            var hash: UInt64 = 0xcbf29ce484222325
            for index in first..<(first + length) {
                if index > first {
                    hash ^= 0x20
                    hash = hash &* 0x100000001b3
                }
                for k in range(index) {
                    hash ^= UInt64(bytes[k])
                    hash = hash &* 0x100000001b3
                }
            }
            return hash
        }

        func joined(from first: Int, length: Int) -> String {
            (first..<(first + length)).map { String(decoding: bytes[range($0)], as: UTF8.self) }.joined(separator: " ")
        }

        private static func appendLowercased(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
            if scalar.isASCII {
                let v = UInt8(scalar.value)
                bytes.append(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)
            } else if scalar.properties.changesWhenLowercased {
                bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)   // rare: capitals outside ASCII
            } else {
                append(scalar, to: &bytes)
            }
        }

        private static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
            UTF8.encode(scalar) { bytes.append($0) }
        }
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
