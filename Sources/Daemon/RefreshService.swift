import Refresh
import Storage
import TidingsCore

/// What the daemon needs from the refresh pipeline. `Refresher` conforms; tests use fakes.
public protocol RefreshService: Sendable {
    /// Reads `feeds/` afresh: the sources that parse, and each file that does not with its cause.
    func loadCatalog() -> Catalog
    /// Refreshes one source end to end (fetch, discover, extract, store).
    func refresh(_ source: Source) async -> RefreshReport
    /// The same with every write under `fence` (a host lease of a shared store).
    func refresh(_ source: Source, fence: WriteFence?) async -> RefreshReport
    /// Brings the feed files, index and OPML up to date for these sources (the complete
    /// catalog), writing only what changed since the last call. `catalogChanged`: the catalog
    /// differs from the last call's (or this is the first). Returns the feeds it kept as they
    /// were on purpose (they would have lost entries), each with its reason.
    func publishFeeds(of sources: [Source], catalogChanged: Bool) async throws -> [String]
    /// How the source has fared lately, as stored.
    func health(of sourceID: String) -> SourceHealth
    /// Upkeep run about once a day: retention of old article bodies, vacuum.
    func maintain(_ sources: [Source]) async throws
    /// The work shared with other nodes when the store is shared (PostgreSQL); nil alone.
    var sharedWork: (any SharedWork)? { get }
}

extension RefreshService {
    public func refresh(_ source: Source, fence: WriteFence?) async -> RefreshReport { await refresh(source) }
    public var sharedWork: (any SharedWork)? { nil }
}
