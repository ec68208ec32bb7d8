import Foundation
import Testing
@testable import Extraction

@Suite("Near-duplicate text across sources")
struct SimHashTests {
    func text(_ name: String) throws -> String {
        String(decoding: try Fixture.data("texts/" + name), as: UTF8.self)
    }

    @Test("a story republished by another portal with its own lead-in and editor line is a near duplicate (CJK)")
    func republishedChinese() throws {
        let a = try text("qingxi-drainage.txt"), b = try text("qingxi-drainage-republished.txt")
        let d = SimHash.distance(try #require(SimHash.fingerprint(a)), try #require(SimHash.fingerprint(b)))
        #expect(d <= SimHash.nearDuplicateDistance, "distance \(d)")
        #expect(SimHash.isNearDuplicate(a, b))
    }

    @Test("a wire story with a dateline and credit line is a near duplicate (word shingles)")
    func republishedEnglish() throws {
        let a = try text("riverside-library.txt"), b = try text("riverside-library-wire.txt")
        let d = SimHash.distance(try #require(SimHash.fingerprint(a)), try #require(SimHash.fingerprint(b)))
        #expect(d <= SimHash.nearDuplicateDistance, "distance \(d)")
    }

    @Test("different articles of one site are not near duplicates", arguments: [
        ("qingxi-drainage.txt", "qingxi-heating.txt"),
        ("qingxi-drainage-republished.txt", "qingxi-heating.txt"),
        ("qingxi-drainage.txt", "riverside-library.txt"),
    ])
    func different(a: String, b: String) throws {
        let fa = try #require(SimHash.fingerprint(try text(a))), fb = try #require(SimHash.fingerprint(try text(b)))
        #expect(SimHash.distance(fa, fb) > 2 * SimHash.nearDuplicateDistance, "distance \(SimHash.distance(fa, fb))")
    }

    @Test("fingerprints are stable across runs (FNV-1a, not the per-process seeded Hasher)")
    func stable() throws {
        #expect(SimHash.fnv1a64("") == 0xcbf29ce484222325)
        #expect(SimHash.fnv1a64("a") == 0xaf63dc4c8601ec8c)
    }

    @Test("texts too short to compare give no fingerprint and are never duplicates")
    func short() {
        #expect(SimHash.fingerprint("青溪新闻") == nil)
        #expect(!SimHash.isNearDuplicate("Breaking news", "Breaking news"))
    }
}

@Suite("SimHash without a string per character")
struct SimHashEquivalenceTests {
    /// The shingling of the first version, string by string: stored fingerprints were made
    /// with it, so the buffer-based one must give the same values.
    static func reference(_ text: String) -> UInt64? {
        var cjk = 0, letters = 0
        var tokens: [String] = []
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
        let n = letters > 0 && Double(cjk) / Double(letters) >= SimHash.cjkShare ? SimHash.cjkShingleLength : SimHash.wordShingleLength
        let shingles = tokens.count >= n ? (0...(tokens.count - n)).map { tokens[$0..<($0 + n)].joined(separator: " ") }
            : (tokens.isEmpty ? [] : [tokens.joined(separator: " ")])
        guard shingles.count >= SimHash.minimumShingles else { return nil }
        var weights = [Int](repeating: 0, count: 64)
        for shingle in shingles {
            let h = SimHash.fnv1a64(shingle)
            for bit in 0..<64 { weights[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var value: UInt64 = 0
        for bit in 0..<64 where weights[bit] > 0 { value |= 1 << UInt64(bit) }
        return value
    }

    @Test("fingerprints equal the string-by-string ones on the fixtures and on mixed-script text")
    func sameValues() throws {
        var texts = try ["qingxi-drainage.txt", "qingxi-drainage-republished.txt", "qingxi-heating.txt",
                         "riverside-library.txt", "riverside-library-wire.txt"].map {
            String(decoding: try Fixture.data("texts/" + $0), as: UTF8.self)
        }
        let pieces = ["Ça", "ÉTÉ", "Straße", "İstanbul", "ΣΟΦΙΑ", "Москва", "青溪", "新闻网", "ひらがな", "한국어", "2025", "x86",
                      "—", "、", "…", "\u{00A0}", "Ǆemal", "ﬁnance", "𠀀字"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            texts.append((0..<Int.random(in: 20...400, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : ""))
        }
        for text in texts {
            #expect(SimHash.fingerprint(text) == Self.reference(text), "\(text.prefix(60))")
        }
        #expect(SimHash.shingles("The Quick brown FOX jumps") == ["the quick brown", "quick brown fox", "brown fox jumps"])
        #expect(SimHash.shingles("青溪新") == ["青 溪 新"])
    }

    @Test("the ASCII shortcut for word characters agrees with the Unicode Alphabetic property and the digits")
    func asciiWordParts() {
        for value in UInt32(0)..<0x80 {
            let scalar = Unicode.Scalar(value)!
            let expected = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            #expect(SimHash.Tokens.isWordPart(scalar) == expected, "U+\(String(value, radix: 16))")
        }
        for scalar in ["é", "ß", "Ж", "٣", "·", "\u{A0}"].map({ $0.unicodeScalars.first! }) {
            #expect(SimHash.Tokens.isWordPart(scalar) == scalar.properties.isAlphabetic)
        }
    }
}
