import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Syndication

@Suite("Random hostile entries")
struct PropertyTests {
    /// Entries per source; three sources plus the combined feed give four files per format.
    static let entriesPerSource = 800

    @Test("thousands of random entries with control characters, lone surrogates, ]]>, emoji, RTL, CJK, long and empty fields give feeds that all validate", arguments: [UInt64(20_231_117)])
    func randomEntriesValidate(seed: UInt64) throws {
        var random = RandomEntries(generator: SeededRandom(seed: seed))
        var channels: [FeedChannel] = []
        for (index, host) in ["news.example.cn", "gazette.example.com", "وكالة.example.org"].enumerated() {
            let source = Source(id: "random-\(index)", title: random.title(), url: URL(string: "https://\(host)/")!,
                                language: RandomEntries.languages[index + 1], keep: Self.entriesPerSource)
            var entries = (0..<Self.entriesPerSource).map { random.entry(source: source, sequence: $0) }
            // A few ids shared with the previous source, as when two sources list one article.
            if let previous = channels.last { entries.replaceSubrange(0..<5, with: previous.entries.prefix(5)) }
            channels.append(FeedChannel(source: source, entries: entries, health: SourceHealth(lastError: random.field())))
        }
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = Publisher(configuration: PublisherConfiguration(
            outputDirectory: folder, baseURL: URL(string: "https://feeds.example.org/"), siteTitle: random.field(maxPieces: 4),
            combinedEntryLimit: 3 * Self.entriesPerSource))
        _ = try publisher.publish(channels)

        let stems = channels.map(\.source.id) + ["all"]
        let atoms = stems.map { folder.appendingPathComponent($0 + ".atom") }
        let problems = try ExternalCheck.atomProblems(atoms)
        #expect(problems == nil)

        let parsed = try ExternalCheck.feedparser(stems.map { folder.appendingPathComponent($0 + ".rss") } + atoms)
        for feed in parsed {
            #expect(!feed.bozo, "\(feed.path): \(feed.bozo_exception)")
        }
        // What a reader lists: exactly the cleaned titles (Atom says they are plain text; RSS
        // leaves that open, so there only the ids are compared), in the same order.
        for (index, channel) in channels.enumerated() {
            let expected = EntryOrdering.newestFirst(channel.entries, limit: Self.entriesPerSource)
            let atom = parsed[stems.count + index], rss = parsed[index]
            #expect(atom.entries.map(\.title) == expected.map { FeedText.title($0.article.title) }, "\(stems[index]).atom")
            #expect(atom.entries.map(\.id) == expected.map { FeedText.legal($0.id) }, "\(stems[index]).atom")
            #expect(rss.entries.map(\.id) == expected.map { FeedText.legal($0.id) }, "\(stems[index]).rss")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(stems[index] + ".json"))) as? [String: Any]
            let items = json?["items"] as? [[String: Any]] ?? []
            let jsonTitles = items.map { $0["title"] as? String }, wanted = expected.map { FeedText.title($0.article.title) }
            if let i = jsonTitles.indices.first(where: { jsonTitles[$0] != wanted[$0] }) {
                Issue.record("\(stems[index]).json item \(i): \(Array((jsonTitles[i] ?? "").unicodeScalars).map { String($0.value, radix: 16) }) vs \(Array(wanted[i].unicodeScalars).map { String($0.value, radix: 16) }) raw \(Array(expected[i].article.title.unicodeScalars).map { String($0.value, radix: 16) })")
            }
        }
        for stem in stems {
            let data = try Data(contentsOf: folder.appendingPathComponent(stem + ".json"))
            #expect(JSONFeedCheck.problems(data) == [], "\(stem).json")
        }
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.unicodeScalars.contains { !FeedText.isAllowed($0) && $0 != "\n" })

        // Identity: the same random input again changes nothing.
        let again = try publisher.publish(channels.reversed())
        #expect(again.written == [])
    }
}
