import Foundation
import Testing
@testable import Discovery

@Suite("Reading OPML subscription lists")
struct OPMLReaderTests {
    let file = URL(fileURLWithPath: "/tmp/subscriptions.opml")

    @Test("outlines in folders give their feed or page URL and title, in document order, once each")
    func outlines() throws {
        let text = """
            <?xml version="1.0"?>
            <opml version="1.0"><head/><body>
              <outline text="Tech"><outline text="A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
                <outline title="B" text="ignored" htmlUrl=" https://b.example/news/ "/></outline>
              <outline text="A again" xmlUrl="https://a.example/feed"/>
              <outline text="mail" xmlUrl="mailto:x@example.com"/>
              <outline text="relative" htmlUrl="/news/"/>
              <outline text="  C\nline  " xmlUrl="http://c.example/rss"/>
            </body></opml>
            """
        let found = try OPMLReader.outlines(in: text, fileURL: file).get()
        #expect(found.map(\.sourceURL?.absoluteString) == ["https://a.example/feed", "https://b.example/news/", "http://c.example/rss"])
        #expect(found.map(\.title) == ["A", "B", "C line"])
        #expect(found[0].pageURL?.absoluteString == "https://a.example/")
    }

    @Test("broken files are errors, never crashes", arguments: [
        "", "not xml at all", "<rss><channel/></rss>", "<opml><head/></opml>", "<opml><body><outline xmlUrl=\"https://a.example/", "\u{0}\u{1}<opml>",
    ])
    func broken(text: String) {
        switch OPMLReader.outlines(in: text, fileURL: file) {
        case .failure(let failure): #expect(!failure.description.isEmpty)
        case .success(let found): #expect(found.allSatisfy { $0.sourceURL != nil })
        }
    }

    @Test("deeply nested folders and entity tricks do not crash or expand")
    func hostile() throws {
        let deep = "<opml><body>" + String(repeating: "<outline text=\"f\">", count: 20_000) + "<outline xmlUrl=\"https://deep.example/feed\"/>"
            + String(repeating: "</outline>", count: 20_000) + "</body></opml>"
        _ = OPMLReader.outlines(in: deep, fileURL: file)
        let entities = """
            <?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <opml><body><outline text="&b;&b;&b;" xmlUrl="https://e.example/feed"/></body></opml>
            """
        let found = try OPMLReader.outlines(in: entities, fileURL: file).get()
        #expect(found.map(\.sourceURL?.absoluteString) == ["https://e.example/feed"])
        #expect((found.first?.title?.count ?? 0) < 100, "entities are never expanded")
    }
}
