import Refresh
import TidingsCore

/// What the daemon needs from the refresh pipeline. `Refresher` conforms; tests use fakes.
public protocol RefreshService: Sendable {
    /// Reads `feeds/` afresh: the sources that parse, and each file that does not with its cause.
    func loadCatalog() -> Catalog
    /// Refreshes one source end to end (fetch, discover, extract, store).
    func refresh(_ source: Source) async -> RefreshReport
    /// Writes the feed files, index and OPML of all these sources (the complete catalog;
    /// files whose content did not change are left alone).
    func publishFeeds(of sources: [Source]) throws
    /// How the source has fared lately, as stored.
    func health(of sourceID: String) -> SourceHealth
}
