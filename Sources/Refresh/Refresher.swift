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
public final class Refresher: Sendable {
    let store: any ArticleStore
    let logger: Logger
    /// The configuration and the fetcher built from it; replaced as one by `reconfigure`.
    private let live: LiveSettings
    /// Retry-After holds, robots.txt and host gaps: every fetcher this refresher builds shares them.
    private let politeness = PolitenessMemory()
    /// Headless Chromium for `render` sources: started on first use, shared by every source.
    public let renderer: Renderer
    /// The image proxy's key and cache, the WebSub notifier.
    let extras: PublicationExtras

    public init(configuration: RefreshConfiguration, logger: Logger) throws(StorageError) {
        self.store = try SQLiteStore(directory: configuration.stateDirectory)
        self.live = LiveSettings(configuration: configuration, fetcher: Fetcher(configuration: configuration.fetcher, politeness: politeness, bodyReader: configuration.pages))
        self.renderer = Renderer(configuration: configuration.renderer)
        self.logger = logger
        self.extras = PublicationExtras(stateDirectory: configuration.stateDirectory, logger: logger)
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
            ? current.fetcher : Fetcher(configuration: applied.fetcher, politeness: politeness, bodyReader: applied.pages)
        live.replace(configuration: applied, fetcher: fetcher)
        return needRestart
    }

    public func loadCatalog() -> Catalog {
        let configuration = self.configuration
        return CatalogLoader.load(directory: configuration.feedsDirectory, minimumEvery: configuration.minimumEvery)
    }

    public func health(of sourceID: String) -> SourceHealth {
        (try? store.health(sourceID: sourceID)) ?? SourceHealth()
    }

    /// Refreshes one source. Never throws: every problem becomes an issue in the report.
    public func refresh(_ source: Source) async -> RefreshReport {
        let (configuration, fetcher) = live.current
        var run = SourceRun(source: source, store: store, fetcher: fetcher, renderer: renderer,
                            articleConcurrency: configuration.articleConcurrency,
                            conditional: health(of: source.id).lastError == nil, logger: logger, reader: configuration.pages)
        let report = await run.execute()
        await DiskWork.run { self.recordHealth(of: source, after: report) }
        logger.debug("source run done", metadata: [
            "source.id": "\(source.id)", "links.found": "\(report.linksFound)", "articles.new": "\(report.newArticles)",
            "pages.fetched": "\(report.pagesFetched)", "bytes.fetched": "\(report.bytesFetched)", "issues": "\(report.issues.count)",
        ])
        return report
    }

    /// Writes every source's feed, the combined feed, the index and the OPML list.
    @discardableResult
    public func publish(_ sources: [Source]) throws -> PublishReport {
        var channels: [FeedChannel] = []
        for source in sources {
            let entries = try ArticleFilter(source.filter).entries(sourceID: source.id, limit: source.keep, store: store)
            channels.append(FeedChannel(source: source, entries: proxyingImages(entries, of: source), health: health(of: source.id)))
        }
        let configuration = self.configuration
        let publisher = Publisher(configuration: PublisherConfiguration(outputDirectory: configuration.outputDirectory,
                                                                        baseURL: configuration.baseURL, hub: announcedHub))
        let report = try publisher.publish(channels)
        queueHubPings(after: report)
        for refused in report.refused {
            logger.error("feed not written", metadata: ["file": "\(refused.file)", "error": "\(refused.message)"])
        }
        return report
    }

    func recordHealth(of source: Source, after report: RefreshReport) {
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
            health.articlesFoundLastRun = report.linksFound
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
        do {
            try store.saveHealth(health, sourceID: source.id)
        } catch {
            logger.error("could not save source health", metadata: ["source.id": "\(source.id)", "error": "\(error)"])
        }
    }
}
