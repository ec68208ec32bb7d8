import Discovery
import Extraction
import Fetching
import Foundation
import Logging
import Rendering
import Storage
import Syndication
import TidingsCore

/// Refreshes one source end to end — fetch the listing, discover article links, fetch and
/// extract the new ones, store them — and publishes the feeds. The only place the stages meet.
/// The store comes from outside (SQLite by default, see `init(configuration:logger:)`).
public final class Refresher: Sendable {
    public let store: any ArticleStore
    let logger: Logger
    /// The configuration and the fetcher built from it; replaced as one by `reconfigure`.
    private let live: LiveSettings
    private let healthBook: HealthBook
    private let publication: FeedPublication
    /// Keeps robots.txt answers in the store across runs.
    private let robots: StoredRobots
    /// Retry-After holds, robots.txt and host gaps: every fetcher this refresher builds shares them.
    private let politeness = PolitenessMemory()
    /// Headless Chromium for `render` sources: started on first use, shared by every source.
    public let renderer: Renderer
    /// The image proxy's key and cache, the WebSub notifier.
    let extras: PublicationExtras

    /// A refresher on `store` (any `ArticleStore`: the caller opens it, so another database
    /// can be plugged in); reads every source's stored health once.
    public init(configuration: RefreshConfiguration, store: any ArticleStore, logger: Logger) async throws(StorageError) {
        self.store = store
        self.logger = logger
        let robots = StoredRobots(store: store)
        self.robots = robots
        self.live = LiveSettings(configuration: configuration,
                                 fetcher: Fetcher(configuration: configuration.fetcher, politeness: politeness, robotsStore: robots,
                                                  bodyReader: configuration.pages))
        self.renderer = Renderer(configuration: configuration.renderer)
        self.extras = PublicationExtras(stateDirectory: configuration.stateDirectory, logger: logger)
        self.healthBook = HealthBook(try await store.allHealth())
        self.publication = FeedPublication(store: store, healthBook: healthBook, logger: logger)
    }

    /// A refresher on the SQLite store of the configuration's state folder.
    public convenience init(configuration: RefreshConfiguration, logger: Logger) async throws(StorageError) {
        try await self.init(configuration: configuration, store: try SQLiteStore(directory: configuration.stateDirectory), logger: logger)
    }

    public var configuration: RefreshConfiguration { live.current.configuration }
    var fetcher: Fetcher { live.current.fetcher }

    /// Applies re-read settings (SIGHUP) to the refreshes that start from now on: fetcher
    /// settings (user agent, limits, proxy, private networks) and the public base URL. The
    /// folders cannot move under a running daemon; they are returned when they differ, so the
    /// caller can say that a restart is needed.
    @discardableResult
    public func reconfigure(_ new: RefreshConfiguration) -> [String] {
        let old = configuration
        var needRestart: [String] = []
        if new.feedsDirectory != old.feedsDirectory { needRestart.append("feeds") }
        if new.outputDirectory != old.outputDirectory { needRestart.append("output") }
        if new.stateDirectory != old.stateDirectory { needRestart.append("state") }
        var applied = new
        applied.feedsDirectory = old.feedsDirectory
        applied.outputDirectory = old.outputDirectory
        applied.stateDirectory = old.stateDirectory
        applied.pages = old.pages  // the worker processes outlive a reload
        // Unchanged fetcher settings keep the fetcher itself (its connections too); changed
        // ones get a new fetcher that remembers what the old one learnt about each host.
        let current = live.current
        let fetcher = applied.fetcher == current.configuration.fetcher
            ? current.fetcher : Fetcher(configuration: applied.fetcher, politeness: politeness, robotsStore: robots,
                                        bodyReader: applied.pages)
        live.replace(configuration: applied, fetcher: fetcher)
        return needRestart
    }

    public func loadCatalog() -> Catalog {
        let configuration = self.configuration
        return CatalogLoader.load(directory: configuration.feedsDirectory, minimumEvery: configuration.minimumEvery)
    }

    /// As stored: kept in memory, so this never waits for the database.
    public func health(of sourceID: String) -> SourceHealth {
        healthBook[sourceID]
    }

    /// Refreshes one source. Never throws: every problem becomes an issue in the report.
    public func refresh(_ source: Source) async -> RefreshReport {
        await refresh(source, fence: nil)
    }

    /// Refreshes one source with every write under `fence` (a host lease of a store shared by
    /// several nodes): a write refused because another node took the host over changes nothing,
    /// the feed files included. With a fence the source's health is read from the store first:
    /// another node may have refreshed the source since this one last did.
    public func refresh(_ source: Source, fence: WriteFence?) async -> RefreshReport {
        let (configuration, fetcher) = live.current
        if fence != nil, let stored = try? await store.health(sourceID: source.id) { healthBook[source.id] = stored }
        do {
            try store.verifyIntact()
        } catch {
            // A store deleted under us would take the writes into a file nobody sees again.
            let now = Timestamp.now()
            let issue = RefreshIssue(sourceID: source.id, url: nil, kind: error.issueKind, message: error.description)
            logger.error("state database lost", metadata: ["source.id": "\(source.id)", "error": "\(error)"])
            return RefreshReport(sourceID: source.id, startedAt: now, finishedAt: now, issues: [issue], sourceFailed: true)
        }
        var run = SourceRun(source: source, store: store, fetcher: fetcher, renderer: renderer,
                            articleConcurrency: configuration.articleConcurrency,
                            conditional: health(of: source.id).lastError == nil, fence: fence, logger: logger,
                            reader: configuration.pages)
        let report = await run.execute()
        if report.newArticles > 0 { publication.entriesChanged(source.id, fence: fence) }
        await recordHealth(of: source, after: report, fence: fence)
        logger.debug("source run done", metadata: [
            "source.id": "\(source.id)", "links.found": "\(report.linksFound)", "articles.new": "\(report.newArticles)",
            "pages.fetched": "\(report.pagesFetched)", "bytes.fetched": "\(report.bytesFetched)", "issues": "\(report.issues.count)",
        ])
        return report
    }

    /// Brings the output folder up to date with the store: the feeds of sources whose
    /// entries changed, the combined feeds when their window changed, the index page and
    /// the OPML list. `catalogChanged` (default) checks every source's definition against what
    /// its files were written with; the daemon passes false after plain refreshes.
    @discardableResult
    public func publish(_ sources: [Source], catalogChanged: Bool = true) async throws -> PublishReport {
        let configuration = self.configuration
        let publisher = Publisher(configuration: PublisherConfiguration(outputDirectory: configuration.outputDirectory,
                                                                        baseURL: configuration.baseURL, hub: announcedHub))
        let presentation = EntryPresentation(
            prepare: { [self] entries, source in proxyingImages(entries, of: source) },
            signature: { source in configuration.imageProxy.mode(of: source) == .proxy ? "images=proxy" : "" })
        let report = try await publication.publish(sources, catalogChanged: catalogChanged, publisher: publisher,
                                                   presentation: presentation, forceIndex: catalogChanged)
        queueHubPings(after: report)
        return report
    }

    /// Feeds kept as they were because writing them would have lost entries, with the reason.
    public var publishingProblems: [String] {
        get async { await publication.problems }
    }

    /// Drops the bodies of entries long out of every feed (see `RetentionPolicy`).
    @discardableResult
    public func applyRetention(to sources: [Source], now: Date = Date()) async throws(StorageError) -> RetentionReport {
        let policy = RetentionPolicy(retain: configuration.retain)
        return try await store.applyRetention(keep: Dictionary(sources.map { ($0.id, $0.keep) }, uniquingKeysWith: { first, _ in first }),
                                              margin: RetentionPolicy.margin(keep:),
                                              before: Timestamp(date: now.addingTimeInterval(-policy.retain), offsetSeconds: 0))
    }

    func recordHealth(of source: Source, after report: RefreshReport, fence: WriteFence? = nil) async {
        var health = self.health(of: source.id)
        health.lastAttempt = report.finishedAt
        if report.sourceFailed {
            health.consecutiveFailures += 1
            health.lastError = report.issues.first?.message
            health.lastErrorKind = report.issues.first?.kind
        } else {
            health.consecutiveFailures = 0
            health.lastSuccess = report.finishedAt
            health.lastError = report.issues.first?.message
            health.lastErrorKind = report.issues.first?.kind
            // An unchanged listing (304) was not looked at: what it offered last time still holds.
            if !report.listingUnchanged { health.articlesFoundLastRun = report.linksFound }
            if report.linksFound == 0 && !report.listingUnchanged {
                health.consecutiveEmptyRuns += 1
                if health.consecutiveEmptyRuns == SourceHealth.emptyRunsBeforeBroken {
                    logger.warning("source finds no articles any more; its layout may have changed",
                                   metadata: ["source.id": "\(source.id)", "source.url": "\(source.url.absoluteString)"])
                }
            } else if report.linksFound > 0 {
                health.consecutiveEmptyRuns = 0
            }
        }
        healthBook[source.id] = health
        publication.healthChanged(source.id)
        do {
            try await store.saveHealth(health, sourceID: source.id, fence: fence)
        } catch {
            logger.error("could not save source health", metadata: ["source.id": "\(source.id)", "error": "\(error)"])
        }
    }
}
