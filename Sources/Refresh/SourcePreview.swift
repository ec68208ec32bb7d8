import Discovery
import Fetching
import Foundation
import Logging
import Rendering
import Storage
import TidingsCore

/// What a source would give, before it is added (`tidings add`): the article links a refresh
/// would find and the first article as it would be extracted. Nothing is stored: the run
/// uses a scratch database that is removed afterwards, never the state folder.
public struct SourcePreview: Sendable {
    public var links: [DiscoveredLink]
    /// The first link's article, or why it could not be had; nil when there are no links.
    public var firstArticle: Result<Article, RefreshIssue>?
    /// What went wrong on the way (the listing could not be fetched, a feed was unusable…).
    public var issues: [RefreshIssue]
    /// True when the listing itself could not be fetched.
    public var failed: Bool

    public static func run(_ source: Source, fetcher configuration: FetcherConfiguration,
                           renderer rendering: RendererConfiguration = .init(), logger: Logger) async throws(StorageError) -> SourcePreview {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-preview-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = try SQLiteStore(directory: scratch)
        let fetcher = Fetcher(configuration: configuration)
        let renderer = Renderer(configuration: rendering)
        defer { Task { await renderer.shutdown() } }
        var run = SourceRun(source: source, store: store, fetcher: fetcher, renderer: renderer, articleConcurrency: 1,
                            conditional: false, logger: logger)
        guard let listing = await run.fetchListing() else {
            return SourcePreview(links: [], firstArticle: nil, issues: run.report.issues, failed: true)
        }
        let links = await run.discoverLinks(on: listing)
        var article: Result<Article, RefreshIssue>?
        if let first = links.first {
            article = await ArticleFetcher(loader: PageLoader(fetcher: fetcher, renderer: renderer), source: source).fetch(first).result
        }
        return SourcePreview(links: links, firstArticle: article, issues: run.report.issues, failed: false)
    }
}
