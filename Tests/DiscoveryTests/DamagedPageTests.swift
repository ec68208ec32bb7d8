import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import Discovery
import Extraction
import Fetching

/// Pages as servers break them (cut short, bytes garbled, tags torn, parts repeated): the
/// daemon reads thousands of them a day and must never fall over on one.
@Suite("Damaged pages")
struct DamagedPageTests {
    static let tears = ["<", ">", "</div>", "<div>", "<a href=\"", "\"", "<![CDATA[", "]]>", "<!--", "-->", "<script>",
                        "</p>", "&amp;", "&#", "<meta charset=\"", "2025-13-45", "年", "\u{0}", "<item>", "</item>",
                        "<link>", "<table>", "<td>", "<?xml", "<br/>", "<pubDate>", "下一页"].map { Array($0.utf8) }

    static func damaged(_ original: [UInt8], using random: inout SeededRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...20, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes.insert(contentsOf: tears.randomElement(using: &random)!, at: position)
            case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...200, using: &random)))
            case 2: if position < bytes.count { bytes[position] = UInt8.random(in: 0...255, using: &random) }
            case 3: bytes = Array(bytes.prefix(position))
            default: bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 100)], at: position)
            }
        }
        return bytes
    }

    @Test("listings, feeds and articles damaged at random still give well-formed results, never a crash")
    func randomDamage() throws {
        var files: [URL] = []
        for folder in ["listings", "feeds", "multipage"] {
            files += try FileManager.default.contentsOfDirectory(at: Fixture.directory.appendingPathComponent(folder),
                                                                 includingPropertiesForKeys: nil).filter { $0.pathExtension != "json" }
        }
        let originals = try files.sorted { $0.path < $1.path }.map { [UInt8](try Data(contentsOf: $0)) }
        let url = URL(string: "https://www.example.com/news/index.html")!
        let extractor = Extractor(), discoverer = LinkDiscoverer()
        var random = SeededRandom(seed: 0xDA_4A_6E)
        var articles = 0
        for round in 0..<600 {
            let contentType = round % 3 == 0 ? "application/xml" : "text/html"
            let decoded = CharsetDecoder.decode(Self.damaged(originals[round % originals.count], using: &random), contentType: contentType)
            let page = Page(requestedURL: url, url: url, contentType: contentType, text: decoded.text)
            for link in discoverer.discover(page: page, limit: 50).links {
                #expect(["http", "https"].contains(link.url.scheme), "\(link.url)")
            }
            if case .success(let article) = extractor.extract(html: decoded.text, url: url) {
                articles += 1
                #expect(!article.text.isEmpty)  // an empty title is filled from the listing by Refresh
            }
            if let document = HTMLDocument(html: decoded.text, url: url), let next = ArticlePagination.nextPage(in: document, pageURL: url) {
                #expect(next != url)
            }
        }
        #expect(articles > 0)  // the damage left some articles readable: extraction really ran
    }
}
