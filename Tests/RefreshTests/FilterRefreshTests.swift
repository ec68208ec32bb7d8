import Foundation
import Testing
import TidingsCore
@testable import Refresh

/// `[filter]` chooses what a feed shows from what is stored; the store keeps everything.
@Suite("[filter] include, exclude and min_words")
struct FilterRefreshTests {
    static let library = "Riverside Library Reopens After Two-Year Renovation"
    static let heating = "冬季供暖首周全市热线受理群众诉求一千二百余件"

    func titles(_ harness: RefreshHarness, _ filter: FilterRules, keep: Int = 100) async throws -> [String] {
        var source = harness.source
        source.filter = filter
        source.keep = keep
        try await harness.refresher.publish([source])
        return try harness.entries().map(\.title)
    }

    @Test("exclude hides matching entries, include keeps only matching ones, and clearing the filter brings every entry back")
    func includeExclude() async throws {
        let harness = try await RefreshHarness()
        let report = try await harness.refreshAndPublish()
        #expect(report.newArticles == 4)
        let all = try harness.entries().map(\.title)
        #expect(all.count == 4 && all.contains(Self.library) && all.contains(Self.heating))

        let noLibrary = try await titles(harness, FilterRules(exclude: [FilterPattern("(?i)LIBRARY")]))
        #expect(noLibrary.count == 3 && !noLibrary.contains(Self.library))
        let combined = try AtomReader.entries(at: harness.output.appendingPathComponent("all.atom")).map(\.title)
        #expect(combined.count == 3 && !combined.contains(Self.library), "all.* shows what the source's feed shows")
        let heatingOnly = try await titles(harness, FilterRules(include: [FilterPattern("供暖", fields: [.title])]))
        #expect(heatingOnly == [Self.heating])
        let byURL = try await titles(harness, FilterRules(exclude: [FilterPattern("/en/", fields: [.url])]))
        #expect(byURL.count == 3 && !byURL.contains(Self.library))
        let byAuthor = try await titles(harness, FilterRules(include: [FilterPattern("^陈镕$", fields: [.author])]))
        #expect(byAuthor == ["青溪市老城区雨污分流改造工程全面完工"])
        #expect(try await titles(harness, FilterRules()) == all, "nothing was lost: the store kept every article")
        #expect(try harness.checkFeeds().status == 0)
    }

    @Test("min_words hides short articles, counting each Han character as a word")
    func minimumWords() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        #expect(try await titles(harness, FilterRules(minWords: 100)).count == 4)
        #expect(try await titles(harness, FilterRules(minWords: 100_000)).isEmpty)
    }

    @Test("hidden entries do not count against keep")
    func keepCountsShownEntries() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        let newestTwo = try await titles(harness, FilterRules(), keep: 2)
        let filtered = try await titles(harness, FilterRules(exclude: [FilterPattern(newestTwo[0], fields: [.title])]), keep: 2)
        #expect(filtered.count == 2)
        #expect(filtered[0] == newestTwo[1])
    }

    @Test("words are runs of letters or digits; each Han, kana or hangul character is one", arguments: [
        ("Ferries set a record", 4), ("It's 42 — don't panic", 4), ("well-known", 1), ("青溪市老城区", 6),
        ("Qingxi 青溪 2025", 4), ("", 0), ("…", 0),
    ])
    func wordCount(text: String, words: Int) {
        #expect(WordCount.of(text) == words)
    }
}
