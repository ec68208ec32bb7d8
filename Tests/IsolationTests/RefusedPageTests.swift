import Discovery
import Extraction
import Fetching
import Foundation
@testable import Isolation
import TestSupport
import Testing
import TidingsCore

@Suite("A page refused as an article, read by a refresh and by tidings extract")
struct RefusedPageTests {
    static func refusal(_ result: Result<ArticlePage, PageReadFailure>) -> ExtractionFailure? {
        guard case .success(let page) = result, case .failure(let failure) = page.article else { return nil }
        return failure
    }

    /// A shop's product grid (the Extraction tests' fixture), decoded as the Fetcher would.
    static func productGrid() throws -> Page {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ExtractionTests/Fixtures/shop-collection.html")
        let decoded = CharsetDecoder.decode(try Data(contentsOf: file), contentType: "text/html")
        let url = URL(string: "https://shop.example.com/w/mens-running")!
        return Page(requestedURL: url, url: url, contentType: "text/html", text: decoded.text, charset: decoded.charset)
    }

    @Test("a refresh's read of a product grid carries its metadata but not the main column it shows; tidings extract's does")
    func onlyExtractKeepsTheMainColumn() async throws {
        let listing = try Self.productGrid()
        let inProcess = try #require(Self.refusal(await InProcessPageReader().article(on: listing, of: SamplePages.source)))
        let viaWorker = try #require(Self.refusal(await WorkerPageReaderTests.reader().article(on: listing, of: SamplePages.source)))
        for refusal in [inProcess, viaWorker] {
            let metadata = try #require(refusal.metadata)
            #expect(!metadata.title.isEmpty)
            #expect(metadata.text.isEmpty && metadata.html.isEmpty)
        }
        // what `tidings extract` and its bench build
        let extract = Extractor(configuration: ExtractorConfiguration(keepsNonArticleBody: true))
        guard case .failure(let shown) = extract.extract(listing) else {
            Issue.record("the listing was taken for an article")
            return
        }
        #expect(shown.reason == inProcess.reason)
        #expect(shown.metadata?.title == inProcess.metadata?.title)
        #expect(shown.metadata?.text.contains("Trail Runner 2") == true)
        #expect(shown.metadata?.html.isEmpty == false)
    }
}
