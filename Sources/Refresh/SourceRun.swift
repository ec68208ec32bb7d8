import Discovery
import Extraction
import Fetching
import Foundation
import Isolation
import Logging
import Rendering
import Storage
import TidingsCore

/// The steps of one source's refresh: listing → links (page, advertised feed) → new articles.
struct SourceRun {
    /// Article links taken from one listing page when the source sets no limit.
    static let defaultLinkLimit = 50

    let source: Source
    let store: any ArticleStore
    let fetcher: Fetcher
    let renderer: Renderer
    let articleConcurrency: Int
    /// Send the listing's validators: false when the last run left articles unfetched, so an
    /// unchanged listing still gets them retried.
    let conditional: Bool
    /// The lease this run writes under (several nodes on one store); nil alone.
    let fence: WriteFence?
    let logger: Logger
    /// Where fetched pages are parsed: worker processes in the daemon (see `PageReader`).
    let reader: any PageReader
    var report: RefreshReport

    init(source: Source, store: any ArticleStore, fetcher: Fetcher, renderer: Renderer, articleConcurrency: Int,
         conditional: Bool, fence: WriteFence? = nil, logger: Logger, reader: any PageReader = InProcessPageReader()) {
        self.fence = fence
        self.reader = reader
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.renderer = renderer
        self.articleConcurrency = articleConcurrency
        self.conditional = conditional
        self.logger = logger
        let now = Timestamp.now()
        self.report = RefreshReport(sourceID: source.id, startedAt: now, finishedAt: now)
    }

    /// The report of the whole run. (A `defer` that sets `finishedAt` would run after the
    /// report was copied out for the return: every report had `startedAt == finishedAt`.)
    mutating func execute() async -> RefreshReport {
        await runSteps()
        report.finishedAt = .now()
        return report
    }

    private mutating func runSteps() async {
        guard let listing = await fetchListing() else { return }
        let found = await discoverLinks(on: listing)
        report.linksFound = found.count
        var fresh: [DiscoveredLink] = []
        do {
            let known = try await store.knownURLs(found.flatMap { [$0.identityKey, $0.url.absoluteString] }, sourceID: source.id)
            fresh = found.filter { !known.contains($0.identityKey) && !known.contains($0.url.absoluteString) }
        } catch {
            note(.storing(error, sourceID: source.id, url: source.url))
        }
        // Oldest first, so that entries found in one run keep the page's order by first-seen time.
        await fetchArticles(Array(fresh.reversed()), listing: listing)
        await rememberListing(listing)
    }

    /// Links on the page, plus the items of a feed the page advertises (feed items first).
    /// When nothing is found, the report says so and what was tried.
    mutating func discoverLinks(on listing: Page) async -> [DiscoveredLink] {
        let limit = source.discover.limit ?? Self.defaultLinkLimit
        var result = await links(on: listing, rules: source.discover, limit: limit, stage: .discovery)
        // A listing that crashed or hung its worker is noted already: asked again, it would
        // only do that once more.
        let listingUnreadable = report.issues.contains { $0.kind.stage == .discovery }
        var feedRead: URL?
        if let feedURL = result.feedURL, source.discover.links == nil, !FeedParser.looksLikeFeed(listing) {
            feedRead = feedURL
            if let feed = await fetchAuxiliary(feedURL, stage: .feed) {
                result = result.merged(with: await links(on: feed, rules: .init(), limit: limit, stage: .feed), limit: limit)
            }
        }
        var sitemapsRead: [URL] = []
        var robotsOutcome: String?
        if let sitemap = source.discover.sitemap {
            sitemapsRead = [sitemap]
            result = result.merged(with: await sitemapLinks([sitemap], limit: limit), limit: limit)
        } else if result.links.isEmpty {
            // A sitemap index as the source URL, or a page with no links: try the sitemaps.
            var sitemaps = result.sitemapURLs
            if sitemaps.isEmpty {
                let (listed, outcome) = await robotsSitemaps()
                sitemaps = listed
                robotsOutcome = outcome
            }
            sitemapsRead = Array(sitemaps.prefix(Self.maximumSitemaps))
            result = await sitemapLinks(sitemaps, limit: limit)
        }
        if result.links.isEmpty && !FeedParser.looksLikeFeed(listing) && !listingUnreadable {
            // One wording with `tidings discover`: what was tried, and selector or render = true.
            // The listing's signs and link groups come from the reader (a worker process in the
            // daemon), like every other parse of the page; only the sentence is made here. A
            // rendered listing already ran its scripts: no advice to render it.
            switch await reader.evidence(on: listing, of: source) {
            case .success(let evidence):
                note(.noArticleLinks(DiscoveryDiagnosis.noArticleLinks(pageURL: listing.url, signs: source.render != nil ? nil : evidence.signs, groups: evidence.groups,
                                                                       feed: feedRead, sitemaps: sitemapsRead, robots: robotsOutcome,
                                                                       selector: source.discover.links),
                                     sourceID: source.id, url: listing.url))
            case .failure(let failure):
                note(.reading(failure, stage: .discovery, sourceID: source.id))
            }
        }
        return result.links
    }

    /// The links one fetched page offers (listing, feed or sitemap); a page its reader could
    /// not read (a crashed or hung worker) is noted and offers none.
    mutating func links(on page: Page, rules: DiscoverRules, limit: Int, stage: IssueKind.Stage) async -> DiscoveryResult {
        switch await reader.links(on: page, of: source, rules: rules, limit: limit) {
        case .success(let result): return result
        case .failure(let failure):
            note(.reading(failure, stage: stage, sourceID: source.id))
            return DiscoveryResult()
        }
    }

    /// Sitemaps read per refresh, so a site with hundreds of them costs a bounded number of requests.
    static let maximumSitemaps = 3

    /// Links of the first few sitemaps (one level of sitemap index followed), newest first.
    mutating func sitemapLinks(_ urls: [URL], limit: Int) async -> DiscoveryResult {
        var result = DiscoveryResult(links: [])
        var queue = Array(urls.prefix(Self.maximumSitemaps))
        var read = 0
        while !queue.isEmpty && read < Self.maximumSitemaps {
            let url = queue.removeFirst()
            read += 1
            guard let page = await fetchAuxiliary(url, stage: .sitemap) else { continue }
            let found = await links(on: page, rules: .init(), limit: limit, stage: .sitemap)
            queue.append(contentsOf: found.sitemapURLs)
            result = result.merged(with: found, limit: limit)
        }
        return result
    }

    /// The `Sitemap:` lines of the site's robots.txt, and what asking for them gave. A site
    /// without a robots.txt (404) is normal: it is no problem of its own to report, and never
    /// the cause given for a listing without links.
    mutating func robotsSitemaps() async -> (sitemaps: [URL], outcome: String) {
        guard !source.url.isFileURL, let robots = SitemapLocator.robotsURL(for: source.url) else { return ([], "no robots.txt for a local file") }
        switch await auxiliary(robots, obeysRobots: false) {
        case .failure(let error):
            return ([], "sitemaps named in robots.txt (none: \(error.description))")
        case .success(nil):
            return ([], "sitemaps named in robots.txt (none: unchanged)")
        case .success(let page?):
            switch await reader.sitemaps(inRobotsTxt: page, robotsURL: robots) {
            case .failure(let failure):
                note(.reading(failure, stage: .robots, sourceID: source.id))
                return ([], "sitemaps named in robots.txt (none: \(failure.description))")
            case .success(let sitemaps):
                return (sitemaps, sitemaps.isEmpty ? "sitemaps named in robots.txt (it names none)"
                        : "robots.txt, which names \(sitemaps.count) sitemap\(sitemaps.count == 1 ? "" : "s")")
            }
        }
    }

    /// A page that helps discovery (feed, sitemap); a failure is noted, not fatal.
    mutating func fetchAuxiliary(_ url: URL, stage: IssueKind.Stage) async -> Page? {
        switch await auxiliary(url, obeysRobots: true) {
        case .success(let page): return page
        case .failure(let error):
            note(.fetching(error, stage: stage, sourceID: source.id, url: url))
            return nil
        }
    }

    /// Fetches a page that helps discovery, counting it; nil for "not modified".
    mutating func auxiliary(_ url: URL, obeysRobots: Bool) async -> Result<Page?, FetchError> {
        var request = FetchRequest(source: source, url: url)
        if !obeysRobots { request.obeysRobots = false }
        do {
            report.pagesFetched += 1
            guard case .page(let page) = try await fetcher.fetch(request) else { return .success(nil) }
            report.bytesFetched += page.byteCount
            return .success(page)
        } catch {
            return .failure(error)
        }
    }

    /// Fetches the listing page with conditional GET; nil when there is nothing to do.
    mutating func fetchListing() async -> Page? {
        let url = source.url
        // A rendered listing is asked for without validators: its shell may stay the same
        // while the list its scripts load changes.
        let previous = conditional && source.render == nil ? try? await store.fetchState(sourceID: source.id, url: url.absoluteString) : nil
        var request = FetchRequest(source: source, url: url)
        request.etag = previous?.etag
        request.lastModified = previous?.lastModified
        request.previousBodyHash = previous?.bodyHash
        do {
            report.pagesFetched += 1
            switch try await PageLoader(fetcher: fetcher, renderer: renderer).load(request, rendered: source.render != nil) {
            case .notModified:
                report.listingUnchanged = true
                return nil
            case .page(let page):
                report.bytesFetched += page.byteCount
                return page
            }
        } catch {
            report.sourceFailed = true
            if case .fetch(let fetchError) = error { report.retryAfter = fetchError.retryAfter }
            note(.loading(error, sourceID: source.id, url: url))
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

    mutating func fetchArticles(_ links: [DiscoveredLink], listing: Page) async {
        let fetcher = ArticleFetcher(loader: PageLoader(fetcher: fetcher, renderer: renderer), source: source, reader: reader)
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
        let resolver = IdentityResolver(listingURLs: [source.url, listing.url])
        let pages = extracted.map {
            IdentityResolver.Page(link: $0.link, fetchedURL: $0.article.url, canonicalHint: $0.article.canonicalHint,
                                  fingerprint: $0.article.fingerprint)
        }
        var identities = resolver.identities(of: pages)
        // A hint naming an entry stored by an earlier refresh must name the same text.
        for (i, page) in pages.enumerated() where identities[i].key != resolver.ownIdentity(page).key {
            guard let stored = try? await storedEntry(identity: identities[i]), stored.exists else { continue }
            identities[i] = resolver.confirmed(identities[i], own: resolver.ownIdentity(page), fingerprint: page.fingerprint,
                                               storedFingerprint: stored.fingerprint)
        }
        let items = zip(extracted, identities).map { item, identity in
            var article = item.article
            article.canonicalURL = identity.canonicalURL
            return (link: item.link, article: article, identity: identity)
        }
        for item in items {
            if let why = item.identity.ignoredHint {
                logger.info("canonical hint ignored", metadata: ["source.id": "\(source.id)", "url": "\(item.article.url.absoluteString)",
                                                                 "cause": "\(why)"])
            }
        }
        let toSave = items.map { link, article, identity in
            ArticleToSave(article, seenAt: .now(), identity: identity.key,
                          alsoKnownAs: [link.url.absoluteString, link.identityKey, article.url.absoluteString])
        }
        do {
            // One transaction for the run: one disk sync instead of one per article.
            report.newArticles += try await store.save(toSave, sourceID: source.id, fence: fence).count
        } catch {
            for (link, _) in extracted { note(.storing(error, sourceID: source.id, url: link.url)) }
        }
    }

    /// Entries searched for the one a canonical hint names (newest first): beyond them a hint
    /// naming an old entry is taken as the page's own identity is, a duplicate at worst.
    static let entriesSearchedForHint = 500

    /// Whether an entry is stored under `identity`, and its text's fingerprint when it is among
    /// the newest `entriesSearchedForHint` and long enough to have one.
    func storedEntry(identity: ArticleIdentity) async throws(StorageError) -> (exists: Bool, fingerprint: UInt64?) {
        guard try await store.knowsArticle(url: identity.key, sourceID: source.id) else { return (false, nil) }
        let entries = try await store.entries(sourceID: source.id, limit: Self.entriesSearchedForHint)
        let entry = entries.first { URLCanonicalizer.identityKey($0.article.canonicalURL) == identity.key }
        return (true, entry?.article.fingerprint)
    }

    mutating func note(_ issue: RefreshIssue) {
        report.issues.append(issue)
        logger.warning("refresh problem", metadata: ["source.id": "\(source.id)", "url": "\(issue.url ?? "-")",
                                                     "kind": "\(issue.kind)", "cause": "\(issue.message)"])
    }
}
