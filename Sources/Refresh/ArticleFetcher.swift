import Discovery
import Extraction
import Fetching
import Foundation
import Isolation
import TidingsCore

/// Fetches and extracts article pages, following a multi-page article's next pages and
/// merging them into one article.
struct ArticleFetcher: Sendable {
    struct Outcome: Sendable {
        var result: Result<Article, RefreshIssue>
        var pagesFetched: Int
        /// Body bytes of those pages, after content decoding.
        var bytesFetched: Int
    }

    let loader: PageLoader
    let source: Source
    /// Where the pages are parsed: worker processes in the daemon (see `PageReader`).
    let reader: any PageReader

    init(loader: PageLoader, source: Source, reader: any PageReader = InProcessPageReader()) {
        self.loader = loader
        self.source = source
        self.reader = reader
    }

    /// Outcomes in the order of `links`, at most `concurrency` articles in flight.
    func fetchAll(_ links: [DiscoveredLink], concurrency: Int) async -> [Outcome] {
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            var collected: [(Int, Outcome)] = []
            func launch() {
                let index = next
                next += 1
                group.addTask { (index, await self.fetch(links[index])) }
            }
            while next < links.count && next < max(1, concurrency) { launch() }
            for await outcome in group {
                collected.append(outcome)
                if next < links.count { launch() }
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func fetch(_ link: DiscoveredLink) async -> Outcome {
        var pages = 0
        var bytes = 0
        var visited: Set<String> = [link.url.absoluteString]
        var url = link.url
        var article: Article?
        while pages < ArticlePagination.maximumPages {
            let page: Page
            do {
                pages += 1
                let rendered = source.render?.rendersArticles ?? false
                // Undecoded when fetched: the reader decodes and extracts the page in one step
                // (one trip to a worker). A rendered page arrives as the browser's text.
                var request = FetchRequest(source: source, url: url)
                request.decodesBody = rendered
                guard case .page(let fetched) = try await loader.load(request, rendered: rendered) else {
                    return Outcome(result: .failure(.unexpectedNotModified(sourceID: source.id, url: url)),
                                   pagesFetched: pages, bytesFetched: bytes)
                }
                page = fetched
                bytes += fetched.byteCount
            } catch {
                // A failing continuation page keeps what the first pages gave.
                if let article { return Outcome(result: .success(article), pagesFetched: pages, bytesFetched: bytes) }
                return Outcome(result: .failure(.loading(error, sourceID: source.id, url: url)),
                               pagesFetched: pages, bytesFetched: bytes)
            }
            // The one step from a fetched article page to its article and the link to its
            // next part (a single parse), run by `reader` wherever it runs.
            let reading: ArticlePage
            switch await reader.article(on: page, of: source) {
            case .success(let read):
                reading = read
            case .failure(let failure):
                if let article { return Outcome(result: .success(article), pagesFetched: pages, bytesFetched: bytes) }
                return Outcome(result: .failure(.reading(failure, stage: .extract, sourceID: source.id)),
                               pagesFetched: pages, bytesFetched: bytes)
            }
            switch reading.article {
            case .success(let part):
                article = article.map { Self.appending(part, to: $0) } ?? Self.completed(part, from: link)
            case .failure(let failure):
                if let article { return Outcome(result: .success(article), pagesFetched: pages, bytesFetched: bytes) }
                return Outcome(result: .failure(.extracting(failure, sourceID: source.id, url: url)),
                               pagesFetched: pages, bytesFetched: bytes)
            }
            guard let next = reading.nextPage, visited.insert(next.absoluteString).inserted else { break }
            url = next
        }
        guard let article else {  // only when ArticlePagination.maximumPages is below 1
            return Outcome(result: .failure(.extracting(ExtractionFailure(.unparsable, "no page read"), sourceID: source.id, url: link.url)),
                           pagesFetched: pages, bytesFetched: bytes)
        }
        return Outcome(result: .success(article), pagesFetched: pages, bytesFetched: bytes)
    }

    /// Fills what the page left out from the listing.
    static func completed(_ article: Article, from link: DiscoveredLink) -> Article {
        var article = article
        if article.published == nil { article.published = link.dateHint }
        if article.title.isEmpty { article.title = link.title }
        if article.title.isEmpty { article.title = Self.title(fromText: article.text) }  // sitemap links carry none
        article.fingerprint = SimHash.fingerprint(article.text)
        return article
    }

    /// A title for a page that has none and was reached by a link without one: its first
    /// sentence or line, cut at `titleFromTextLength` characters.
    static func title(fromText text: String) -> String {
        guard let line = text.split(whereSeparator: \.isNewline).lazy
            .map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty }) else { return "" }
        var sentence = Substring(line)
        if let end = line.firstIndex(where: { "。！？!?".contains($0) }) { sentence = line[...end] }
        if let period = sentence.range(of: ". ") { sentence = sentence[..<period.lowerBound] + "." }
        guard sentence.count > titleFromTextLength else { return String(sentence) }
        return String(sentence.prefix(titleFromTextLength - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    static let titleFromTextLength = 80

    static func appending(_ part: Article, to article: Article) -> Article {
        var merged = article
        merged.html += "\n" + part.html
        merged.text += "\n\n" + part.text
        merged.fingerprint = SimHash.fingerprint(merged.text)
        return merged
    }
}
