import Discovery
import Extraction
import Fetching
import Foundation
import Logging
import Storage
import TidingsCore

/// The steps of one source's refresh: listing → links (page, advertised feed) → new articles.
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
    /// The lease this run writes under (several nodes on one store); nil alone.
    let fence: WriteFence?
    let logger: Logger
    var report: RefreshReport

    init(source: Source, store: any ArticleStore, fetcher: Fetcher, articleConcurrency: Int, conditional: Bool,
         fence: WriteFence? = nil, logger: Logger) {
        self.fence = fence
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.articleConcurrency = articleConcurrency
        self.conditional = conditional
        self.logger = logger
        let now = Timestamp.now()
        self.report = RefreshReport(sourceID: source.id, startedAt: now, finishedAt: now)
    }

    mutating func execute() async -> RefreshReport {
        defer { report.finishedAt = .now() }
        guard let listing = await fetchListing() else { return report }
        let found = await discoverLinks(on: listing)
        report.linksFound = found.count
        var fresh: [DiscoveredLink] = []
        do {
            let known = try await store.knownURLs(found.flatMap { [$0.identityKey, $0.url.absoluteString] }, sourceID: source.id)
            fresh = found.filter { !known.contains($0.identityKey) && !known.contains($0.url.absoluteString) }
        } catch {
            note(url: source.url, kind: error.issueKind, "\(error)")
        }
        // Oldest first, so that entries found in one run keep the page's order by first-seen time.
        await fetchArticles(Array(fresh.reversed()))
        await rememberListing(listing)
        return report
    }

    /// Links on the page, plus the items of a feed the page advertises (feed items first).
    mutating func discoverLinks(on listing: Page) async -> [DiscoveredLink] {
        let limit = source.discover.limit ?? Self.defaultLinkLimit
        let discoverer = LinkDiscoverer(configuration: DiscoveryConfiguration(source: source))
        var result = discoverer.discover(page: listing, rules: source.discover, limit: limit)
        if let feedURL = result.feedURL, source.discover.links == nil, !FeedParser.looksLikeFeed(listing),
           let feed = await fetchAuxiliary(feedURL, kind: "feed") {
            result = result.merged(with: discoverer.discover(page: feed, rules: .init(), limit: limit), limit: limit)
        }
        if let sitemap = source.discover.sitemap {
            result = result.merged(with: await sitemapLinks([sitemap], discoverer: discoverer, limit: limit), limit: limit)
        } else if result.links.isEmpty {
            // A sitemap index as the source URL, or a page with no links: try the sitemaps.
            let sitemaps = result.sitemapURLs.isEmpty ? await robotsSitemaps() : result.sitemapURLs
            result = await sitemapLinks(sitemaps, discoverer: discoverer, limit: limit)
        }
        return result.links
    }

    /// Sitemaps read per refresh, so a site with hundreds of them costs a bounded number of requests.
    static let maximumSitemaps = 3

    /// Links of the first few sitemaps (one level of sitemap index followed), newest first.
    mutating func sitemapLinks(_ urls: [URL], discoverer: LinkDiscoverer, limit: Int) async -> DiscoveryResult {
        var result = DiscoveryResult(links: [])
        var queue = Array(urls.prefix(Self.maximumSitemaps))
        var read = 0
        while !queue.isEmpty && read < Self.maximumSitemaps {
            let url = queue.removeFirst()
            read += 1
            guard let page = await fetchAuxiliary(url, kind: "sitemap") else { continue }
            let found = discoverer.discover(page: page, rules: .init(), limit: limit)
            queue.append(contentsOf: found.sitemapURLs)
            result = result.merged(with: found, limit: limit)
        }
        return result
    }

    /// The `Sitemap:` lines of the site's robots.txt.
    mutating func robotsSitemaps() async -> [URL] {
        guard !source.url.isFileURL, let robots = SitemapLocator.robotsURL(for: source.url),
              let page = await fetchAuxiliary(robots, kind: "robots") else { return [] }
        return SitemapLocator.sitemaps(inRobotsTxt: page.text, robotsURL: robots)
    }

    /// A page that helps discovery (feed, sitemap, robots.txt); a failure is noted, not fatal.
    mutating func fetchAuxiliary(_ url: URL, kind: String) async -> Page? {
        var request = FetchRequest(source: source, url: url)
        if kind == "robots" { request.obeysRobots = false }
        do {
            report.pagesFetched += 1
            if case .page(let page) = try await fetcher.fetch(request) {
                report.bytesFetched += page.byteCount
                return page
            }
        } catch {
            note(url: url, kind: "\(kind).\(error.kind)", "\(kind) unusable: \(error.description)")
        }
        return nil
    }

    /// Fetches the listing page with conditional GET; nil when there is nothing to do.
    mutating func fetchListing() async -> Page? {
        let url = source.url
        let previous = conditional ? try? await store.fetchState(sourceID: source.id, url: url.absoluteString) : nil
        var request = FetchRequest(source: source, url: url)
        request.etag = previous?.etag
        request.lastModified = previous?.lastModified
        request.previousBodyHash = previous?.bodyHash
        do {
            report.pagesFetched += 1
            switch try await fetcher.fetch(request) {
            case .notModified:
                report.listingUnchanged = true
                return nil
            case .page(let page):
                report.bytesFetched += page.byteCount
                return page
            }
        } catch {
            report.sourceFailed = true
            report.retryAfter = error.retryAfter
            note(url: url, kind: "fetch.\(error.kind)", error.description)
            return nil
        }
    }

    /// Stores the listing's validators only once every article it offered is stored: a run
    /// cut short (a kill, a failed article) must not make the next run skip the listing.
    func rememberListing(_ listing: Page) async {
        guard report.issues.isEmpty else { return }
        let state = FetchState(sourceID: source.id, url: source.url.absoluteString, etag: listing.etag,
                               lastModified: listing.lastModified, bodyHash: listing.bodyHash, fetchedAt: .now())
        try? await store.saveFetchState(state, fence: fence)
    }

    mutating func fetchArticles(_ links: [DiscoveredLink]) async {
        let fetcher = ArticleFetcher(fetcher: fetcher, source: source)
        let outcomes = await fetcher.fetchAll(links, concurrency: articleConcurrency)
        var extracted: [(link: DiscoveredLink, article: Article)] = []
        for (link, outcome) in zip(links, outcomes) {
            report.pagesFetched += outcome.pagesFetched
            report.bytesFetched += outcome.bytesFetched
            switch outcome.result {
            case .success(let article):
                extracted.append((link, article))
            case .failure(let issue):
                report.issues.append(issue)
                logger.warning("article skipped", metadata: ["source.id": "\(source.id)", "url": "\(link.url.absoluteString)",
                                                            "cause": "\(issue.message)"])
            }
        }
        guard !extracted.isEmpty else { return }
        let items = extracted.map { link, article in
            ArticleToSave(article, seenAt: .now(), alsoKnownAs: [
                link.url.absoluteString, link.identityKey,
                URLCanonicalizer.identityKey(article.url), URLCanonicalizer.identityKey(article.canonicalURL),
            ])
        }
        do {
            // One transaction for the run: one disk sync instead of one per article.
            report.newArticles += try await store.save(items, sourceID: source.id, fence: fence).count
        } catch {
            for (link, _) in extracted { note(url: link.url, kind: error.issueKind, "\(error)") }
        }
    }

    mutating func note(url: URL?, kind: String, _ message: String) {
        report.issues.append(RefreshIssue(sourceID: source.id, url: url?.absoluteString, kind: kind, message: message))
        logger.warning("refresh problem", metadata: ["source.id": "\(source.id)", "url": "\(url?.absoluteString ?? "-")",
                                                     "cause": "\(message)"])
    }
}
