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
