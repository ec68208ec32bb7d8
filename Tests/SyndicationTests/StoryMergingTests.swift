import Foundation
import Testing
import TidingsCore
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
