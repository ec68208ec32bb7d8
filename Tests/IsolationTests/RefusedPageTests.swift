import Discovery
import Extraction
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

    @Test("a refresh's read of a listing carries its metadata but not the main column it shows; tidings extract's does")
    func onlyExtractKeepsTheMainColumn() async throws {
        let listing = try SamplePages.page("index.html")
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
        #expect(shown.metadata?.text.isEmpty == false)
        #expect(shown.metadata?.html.isEmpty == false)
    }
}
