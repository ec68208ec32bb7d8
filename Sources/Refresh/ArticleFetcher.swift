import Discovery
import Extraction
import Fetching
import Foundation
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

    let fetcher: Fetcher
    let source: Source
    let extractor: Extractor

    init(fetcher: Fetcher, source: Source) {
        self.fetcher = fetcher
        self.source = source
        self.extractor = Extractor(configuration: ExtractorConfiguration(
            timeZone: source.timeZone.flatMap(TimeZone.init(identifier:)), rules: source.extract))
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
                guard case .page(let fetched) = try await fetcher.fetch(FetchRequest(source: source, url: url)) else {
                    return Outcome(result: .failure(.unexpectedNotModified(sourceID: source.id, url: url)),
                                   pagesFetched: pages, bytesFetched: bytes)
                }
                page = fetched
                bytes += fetched.byteCount
            } catch {
                // A failing continuation page keeps what the first pages gave.
                if let article { return Outcome(result: .success(article), pagesFetched: pages, bytesFetched: bytes) }
                return Outcome(result: .failure(.fetching(error, sourceID: source.id, url: url)),
                               pagesFetched: pages, bytesFetched: bytes)
            }
            let reading = read(page)
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
        return Outcome(result: .success(article!), pagesFetched: pages, bytesFetched: bytes)
    }

    /// The one step from a fetched article page to its article and the link to its next part
    /// (a single parse), kept in one function so that it can run somewhere else as a whole.
    func read(_ page: Page) -> ArticlePage {
        ArticlePage.read(html: page.text, url: page.url, extractor: extractor)
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
