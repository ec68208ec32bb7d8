import Extraction
import Foundation
import Testing

@Suite("Binary content")
struct BinaryContentTests {
    @Test("random bytes decoded as text are refused as unparsable, not turned into an article")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<8000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .failure(let failure) = Extractor().extract(html: text, url: URL(string: "https://e.com/a.html")!) else {
            Issue.record("binary data accepted as an article")
            return
        }
        #expect(failure.reason == .unparsable)
        #expect(failure.detail.contains("binary"))
    }

    @Test("plain text without markup is refused")
    func noMarkup() {
        let text = String(repeating: "This is just a text file without any markup at all. ", count: 20)
        guard case .failure(let failure) = Extractor().extract(html: text, url: URL(string: "https://e.com/a.txt")!) else {
            Issue.record("plain text accepted as an article")
            return
        }
        #expect(failure.detail == "no HTML markup")
    }
}
