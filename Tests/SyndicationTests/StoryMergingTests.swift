import Foundation
import Testing
import TidingsCore
import TestSupport
@testable import Syndication

@Suite("One story from several sources")
struct StoryMergingTests {
    /// The same wire story on two portals: fingerprints 3 bits apart (as the Discovery tests
    /// measure for a republished Chinese story); an unrelated story 32 bits away.
    static let story: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let republished: UInt64 = story ^ 0b1011
    static let unrelated: UInt64 = story ^ 0xFFFF_FFFF_0000_0000

    func channels() -> (FeedChannel, FeedChannel) {
        var portal = SampleFeeds.portalChannel
        var english = SampleFeeds.englishChannel
        portal.entries[0].article.fingerprint = Self.story
        var copy = SampleFeeds.entry(english.source, path: "2023/06/metro-opens", title: "长沙地铁6号线东延段开通运营（转载）",
                                     published: "2023-06-17T05:00:00+08:00", firstSeen: "2023-06-17T04:00:00Z")
        copy.article.fingerprint = Self.republished
        english.entries[0].article.fingerprint = Self.unrelated
        english.entries.append(copy)
        return (portal, english)
    }

    @Test("the combined feed keeps the first-seen copy and links the other; each source's feed keeps its own")
    func mergedInCombinedFeed() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let (portal, english) = channels()
        _ = try SampleFeeds.publisher(folder).publish([portal, english])
        let all = try String(contentsOf: folder.appendingPathComponent("all.atom"), encoding: .utf8)
        #expect(!all.contains("（转载）"))
        #expect(all.contains(#"<link rel="related" type="text/html" href="https://gazette.example.com/local/2023/06/metro-opens"/>"#))
        let parsed = try ExternalCheck.feedparser([folder.appendingPathComponent("all.atom")])[0]
        #expect(parsed.entries.count == 3)
        let own = try String(contentsOf: folder.appendingPathComponent("harbor-gazette.atom"), encoding: .utf8)
        #expect(own.contains("（转载）"))
        #expect(try ExternalCheck.atomProblems([folder.appendingPathComponent("all.atom")]) == nil)
    }

    @Test("entries without fingerprints or from the same source are never merged")
    func notMerged() {
        let (portal, _) = channels()
        var twin = portal.entries[0]
        twin.id += "-twin"
        #expect(StoryMerging.merged(portal.entries + [twin]).count == 3)
        var unprinted = portal.entries
        unprinted[0].article.fingerprint = nil
        #expect(StoryMerging.merged(unprinted).count == 2)
    }
}

@Suite("Story merging at scale")
struct StoryMergingScaleTests {
    /// What merging meant before band buckets: every entry against every kept entry.
    static func pairwise(_ items: [StoryMerging.Item]) -> [Int?] {
        let order = items.indices.sorted {
            items[$0].firstSeen != items[$1].firstSeen ? items[$0].firstSeen < items[$1].firstSeen : items[$0].id < items[$1].id
        }
        var kept: [Int] = []
        var result = [Int?](repeating: nil, count: items.count)
        for index in order {
            if let fingerprint = items[index].fingerprint, let match = kept.first(where: { other in
                items[other].sourceID != items[index].sourceID
                    && items[other].fingerprint.map { ArticleFingerprint.isNearDuplicate($0, fingerprint) } == true
            }) {
                result[index] = match
                continue
            }
            kept.append(index)
        }
        return result
    }

    @Test("band buckets merge exactly the pairs that comparing every pair merges, copies 0 to 8 bits apart included")
    func sameAsPairwise() {
        var random = SeededRandom(seed: 2024)
        var items: [StoryMerging.Item] = []
        for n in 0..<3000 {
            let fingerprint: UInt64?
            if n % 7 == 0 { fingerprint = nil } else if n > 10 && n % 3 == 0, let original = items[Int.random(in: 0..<n, using: &random)].fingerprint {
                // A copy: flip up to 8 random bits (sometimes 9 or 10, which must not merge).
                var copy = original
                for _ in 0..<Int.random(in: 0...10, using: &random) { copy ^= 1 << UInt64.random(in: 0..<64, using: &random) }
                fingerprint = copy
            } else {
                fingerprint = random.next()
            }
            items.append(.init(sourceID: "s\(n % 13)", id: "tag:e.com,2024-01-01:/\(n)", firstSeen: Double(random.next() % 100_000),
                               fingerprint: fingerprint))
        }
        let expected = Self.pairwise(items)
        #expect(expected.compactMap { $0 }.count > 300, "the sample holds many copies")
        #expect(StoryMerging.assignments(items).targets == expected)
    }

    @Test("the combined window keeps one entry per id, links the copies, and is cut at its limit newest first")
    func window() {
        var candidates: [CombinedWindow.Candidate] = []
        for n in 0..<20 {
            let fingerprint: UInt64 = n < 2 ? 0xABCD : UInt64(n) &* 0x9E37_79B9_7F4A_7C15
            let id = n == 19 ? "tag:shared" : "tag:\(n)"
            candidates.append(CombinedWindow.Candidate(sourceID: "s\(n % 2)", id: id, sortTime: Double(n), firstSeen: Double(100 - n),
                                                       updated: Double(n), fingerprint: fingerprint, link: "https://e.com/\(n)"))
        }
        candidates.append(CombinedWindow.Candidate(sourceID: "s0", id: "tag:shared", sortTime: 19, firstSeen: 0, updated: 0,
                                                   fingerprint: nil, link: "https://e.com/shared-older"))
        let members = CombinedWindow.select(candidates, limit: 5)
        #expect(members.map { candidates[$0.candidate].id } == ["tag:shared", "tag:18", "tag:17", "tag:16", "tag:15"])
        #expect(candidates[members[0].candidate].link == "https://e.com/19", "of one id the more recently updated copy stays")
        let all = CombinedWindow.select(candidates, limit: 100)
        // Entries 0 and 1 are one story on two sources: 1 was seen first (firstSeen 99 < 100).
        let story = all.first { candidates[$0.candidate].id == "tag:1" }
        #expect(story?.related == ["https://e.com/0"])
        #expect(!all.contains { candidates[$0.candidate].id == "tag:0" })
    }
}
