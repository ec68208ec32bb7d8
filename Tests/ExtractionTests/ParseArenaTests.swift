import Foundation
import Testing
@testable import Extraction

/// Documents are parsed into a bump arena (`CXMLArena`) whose chunks are recycled when the
/// document is freed: the tree must stay readable from any thread until then, and a
/// recycled chunk must never show through in a later document.
@Suite("Documents parsed into the allocation arena")
struct ParseArenaTests {
    static func page(_ n: Int) -> String {
        let paragraphs = (1...40).map { "<p class=\"para\">Paragraph \($0) of story \(n): the council met again.</p>" }.joined()
        return "<html><head><title>Story \(n)</title></head><body><article>\(paragraphs)</article></body></html>"
    }

    @Test("a document parsed on one thread is read and freed on another")
    func crossThread() async throws {
        let url = URL(string: "https://news.example.com/story.html")!
        let document = try #require(await Task.detached { HTMLDocument(html: Self.page(1), url: url) }.value)
        let text = await Task.detached { document.root?.text ?? "" }.value
        #expect(text.contains("Paragraph 40 of story 1"))
    }

    @Test("documents freed and parsed again read their own text, never an earlier one's")
    func recycledChunks() throws {
        let url = URL(string: "https://news.example.com/story.html")!
        var kept: [HTMLDocument] = []
        for n in 0..<300 {
            let document = try #require(HTMLDocument(html: Self.page(n), url: url))
            if n % 7 == 0 { kept.append(document) }  // some stay alive while others are recycled
            let paragraphs = document.root?.descendants(named: "p") ?? []
            #expect(paragraphs.count == 40)
            #expect(paragraphs.last?.text == "Paragraph 40 of story \(n): the council met again.")
        }
        for (i, document) in kept.enumerated() {
            #expect(document.root?.descendants(named: "p").first?.text == "Paragraph 1 of story \(i * 7): the council met again.")
        }
    }
}
