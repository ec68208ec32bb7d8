import Discovery
import Extraction
import Fetching
import Foundation
import Logging
import Storage
import TidingsCore

/// The steps of one source's refresh.
struct SourceRun {
    /// Article links taken from one listing page when the source sets no limit.
    static let defaultLinkLimit = 50

    let source: Source
    let store: any ArticleStore
    let fetcher: Fetcher
    let articleConcurrency: Int
    /// Send the listing's validators: false when the last run left articles unfetched, so an
    /// unchanged listing still gets them retried.
    let conditional: Bool
    let logger: Logger
    var report: RefreshReport

    init(source: Source, store: any ArticleStore, fetcher: Fetcher, articleConcurrency: Int, conditional: Bool, logger: Logger) {
        self.conditional = conditional
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.articleConcurrency = articleConcurrency
        self.logger = logger
        let now = Timestamp.now()
        self.report = RefreshReport(sourceID: source.id, startedAt: now, finishedAt: now)
    }

    mutating func execute() async -> RefreshReport {
        defer { report.finishedAt = .now() }
        guard let listing = await fetchListing() else { return report }
        let limit = source.discover.limit ?? Self.defaultLinkLimit
        let found = LinkDiscoverer().discover(page: listing, rules: source.discover, limit: limit)
        report.linksFound = found.links.count
        var fresh: [DiscoveredLink] = []
        for link in found.links {
            do {
                if try !store.knowsArticle(url: link.url.absoluteString, sourceID: source.id) { fresh.append(link) }
            } catch {
                note(url: link.url, kind: "store", "\(error)")
            }
        }
        // Oldest first, so that entries found in one run keep the page's order by first-seen time.
        await fetchArticles(Array(fresh.reversed()))
        return report
    }

    /// Fetches the listing page with conditional GET; nil when there is nothing to do.
    mutating func fetchListing() async -> Page? {
        let url = source.url
        let previous = conditional ? try? store.fetchState(url: url.absoluteString) : nil
        let request = FetchRequest(url: url, etag: previous?.etag, lastModified: previous?.lastModified,
                                   allowFileScheme: url.isFileURL, previousBodyHash: previous?.bodyHash)
        do {
            report.pagesFetched += 1
            switch try await fetcher.fetch(request) {
            case .notModified:
                report.listingUnchanged = true
                return nil
            case .page(let page):
                try? store.saveFetchState(FetchState(url: url.absoluteString, etag: page.etag, lastModified: page.lastModified,
                                                     bodyHash: page.bodyHash, fetchedAt: .now()))
                return page
            }
        } catch {
            report.sourceFailed = true
            report.retryAfter = error.retryAfter
            note(url: url, kind: "fetch.\(error.kind)", error.description)
            return nil
        }
    }

    mutating func fetchArticles(_ links: [DiscoveredLink]) async {
        let extractor = Extractor(configuration: ExtractorConfiguration(
            timeZone: source.timeZone.flatMap(TimeZone.init(identifier:)), rules: source.extract))
        let allowFile = source.url.isFileURL
        let fetcher = self.fetcher
        var outcomes: [(DiscoveredLink, Result<Article, RefreshIssue>)] = []
        let sourceID = source.id
        await withTaskGroup(of: (Int, DiscoveredLink, Result<Article, RefreshIssue>).self) { group in
            var next = 0
            func launch() {
                let index = next
                let link = links[index]
                next += 1
                group.addTask {
                    (index, link, await Self.articleOutcome(link, fetcher: fetcher, extractor: extractor,
                                                            allowFile: allowFile, sourceID: sourceID))
                }
            }
            while next < links.count && next < max(1, articleConcurrency) { launch() }
            var collected: [(Int, DiscoveredLink, Result<Article, RefreshIssue>)] = []
            for await outcome in group {
                collected.append(outcome)
                if next < links.count { launch() }
            }
            outcomes = collected.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
        report.pagesFetched += links.count
        for (link, outcome) in outcomes {
            switch outcome {
            case .success(let article):
                do {
                    try store.save(article, sourceID: source.id, seenAt: .now(), alsoKnownAs: [link.url.absoluteString])
                    report.newArticles += 1
                } catch {
                    note(url: link.url, kind: "store", "\(error)")
                }
            case .failure(let issue):
                report.issues.append(issue)
                logger.warning("article skipped", metadata: ["source.id": "\(source.id)", "url": "\(link.url.absoluteString)",
                                                            "cause": "\(issue.message)"])
            }
        }
    }

    static func articleOutcome(_ link: DiscoveredLink, fetcher: Fetcher, extractor: Extractor, allowFile: Bool,
                               sourceID: String) async -> Result<Article, RefreshIssue> {
        do {
            let outcome = try await fetcher.fetch(FetchRequest(url: link.url, allowFileScheme: allowFile))
            guard case .page(let page) = outcome else {
                return .failure(RefreshIssue(sourceID: sourceID, url: link.url.absoluteString, kind: "fetch.not_modified",
                                             message: "server answered 304 to an unconditional request"))
            }
            switch extractor.extract(page) {
            case .success(var article):
                if article.published == nil { article.published = link.dateHint }
                if article.title.isEmpty { article.title = link.title }
                return .success(article)
            case .failure(let failure):
                return .failure(RefreshIssue(sourceID: sourceID, url: link.url.absoluteString,
                                             kind: "extract.\(failure.reason.rawValue)", message: failure.description))
            }
        } catch {
            return .failure(RefreshIssue(sourceID: sourceID, url: link.url.absoluteString, kind: "fetch.\(error.kind)",
                                         message: error.description))
        }
    }

    mutating func note(url: URL?, kind: String, _ message: String) {
        report.issues.append(RefreshIssue(sourceID: source.id, url: url?.absoluteString, kind: kind, message: message))
        logger.warning("refresh problem", metadata: ["source.id": "\(source.id)", "url": "\(url?.absoluteString ?? "-")",
                                                     "cause": "\(message)"])
    }
}
