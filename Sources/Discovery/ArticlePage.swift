import Extraction
import Foundation
import TidingsCore

/// One fetched article page read once: the article on it and the link to its next part, both
/// from a single parse (finding the next part used to parse every page a second time, more
/// CPU than the extraction itself).
public struct ArticlePage: Sendable {
    public var article: Result<Article, ExtractionFailure>
    /// The next part of a multi-page article (see `ArticlePagination`), when there is one.
    public var nextPage: URL?

    public init(article: Result<Article, ExtractionFailure>, nextPage: URL?) {
        self.article = article
        self.nextPage = nextPage
    }

    /// Extracts the page at `url` and looks for its next part in the same document.
    public static func read(html: String, url: URL, extractor: Extractor) -> ArticlePage {
        switch extractor.parse(html: html, url: url) {
        case .failure(let failure):
            return ArticlePage(article: .failure(failure), nextPage: nil)
        case .success(let document):
            let article = extractor.extract(document: document)
            guard case .success = article else { return ArticlePage(article: article, nextPage: nil) }
            return ArticlePage(article: article, nextPage: ArticlePagination.nextPage(in: document, pageURL: url))
        }
    }
}
