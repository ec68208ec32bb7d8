import Discovery
import Extraction
import Fetching
import Foundation
import Logging
import Storage
import Syndication
import TidingsCore

/// Refreshes one source end to end — fetch the listing, discover article links, fetch and
/// extract the new ones, store them — and publishes the feeds. The only place the stages meet.
public final class Refresher: Sendable {
    public let configuration: RefreshConfiguration
    let store: any ArticleStore
    let fetcher: Fetcher
    let logger: Logger

    public init(configuration: RefreshConfiguration, logger: Logger) throws(StorageError) {
        self.configuration = configuration
        self.store = try SQLiteStore(directory: configuration.stateDirectory)
        self.fetcher = Fetcher(configuration: configuration.fetcher)
        self.logger = logger
    }

    public func loadCatalog() -> Catalog {
        CatalogLoader.load(directory: configuration.feedsDirectory)
    }

    public func health(of sourceID: String) -> SourceHealth {
        (try? store.health(sourceID: sourceID)) ?? SourceHealth()
    }

    /// Refreshes one source. Never throws: every problem becomes an issue in the report.
    public func refresh(_ source: Source) async -> RefreshReport {
        var run = SourceRun(source: source, store: store, fetcher: fetcher,
                            articleConcurrency: configuration.articleConcurrency,
                            conditional: health(of: source.id).lastError == nil, logger: logger)
        let report = await run.execute()
        await DiskWork.run { self.recordHealth(of: source, after: report) }
        return report
    }

    /// Writes every source's feed, the combined feed, the index and the OPML list.
    @discardableResult
    public func publish(_ sources: [Source]) throws -> PublishReport {
        var channels: [FeedChannel] = []
        for source in sources {
            let entries = try store.entries(sourceID: source.id, limit: source.keep)
            channels.append(FeedChannel(source: source, entries: entries, health: health(of: source.id)))
        }
        let publisher = Publisher(configuration: PublisherConfiguration(outputDirectory: configuration.outputDirectory,
                                                                        baseURL: configuration.baseURL))
        return try publisher.publish(channels)
    }

    func recordHealth(of source: Source, after report: RefreshReport) {
        var health = self.health(of: source.id)
        health.lastAttempt = report.finishedAt
        if report.sourceFailed {
            health.consecutiveFailures += 1
            health.lastError = report.issues.first?.message
        } else {
            health.consecutiveFailures = 0
            health.lastSuccess = report.finishedAt
            health.lastError = report.issues.first?.message
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
