import Foundation
import Testing
import TidingsCore
@testable import Syndication

@Suite("Keywords as categories")
struct KeywordCategoryTests {
    @Test("an article's keywords become categories in Atom, RSS and JSON Feed: cleaned, once each, without the source title")
    func keywordsBecomeCategories() throws {
        let folder = try SampleFeeds.temporaryFolder()
        var channel = SampleFeeds.portalChannel
        channel.entries[0].article.keywords = ["地铁", " 交通\u{0007} ", "地铁", "", "湖南新闻 · 国内", "<b>&</b>"]
        _ = try SampleFeeds.publisher(folder).publish([channel])
        let atom = try String(contentsOf: folder.appendingPathComponent("hunan-portal.atom"), encoding: .utf8)
        #expect(atom.contains(#"<category term="地铁"/>"#))
        #expect(atom.contains(#"<category term="交通"/>"#))
        #expect(atom.contains(#"<category term="&lt;b&gt;&amp;&lt;/b&gt;"/>"#))
        #expect(atom.components(separatedBy: #"<category term="地铁"/>"#).count == 2)
        let rss = try String(contentsOf: folder.appendingPathComponent("hunan-portal.rss"), encoding: .utf8)
        #expect(rss.contains("<category>交通</category>"))
        let json = try String(contentsOf: folder.appendingPathComponent("hunan-portal.json"), encoding: .utf8)
        #expect(json.contains("\"交通\""))
        #expect(try ExternalCheck.atomProblems([folder.appendingPathComponent("hunan-portal.atom")]) == nil)
    }
}
