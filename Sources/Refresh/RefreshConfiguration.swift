import Fetching
import Foundation
import Rendering
import Isolation
import TidingsCore

/// Where the refresh reads sources and writes state and feeds.
public struct RefreshConfiguration: Sendable {
    public var feedsDirectory: URL
    public var outputDirectory: URL
    public var stateDirectory: URL
    /// Public URL the output folder is served under (feed `self` links).
    public var baseURL: URL?
    public var fetcher: FetcherConfiguration
    /// Article pages fetched at once within one source (the fetcher still limits per host).
    public var articleConcurrency: Int
    /// Sources refreshed at once; nil: sized to the hosts of the catalog (`SourcesAtOnce`).
    public var sourcesAtOnce: Int?
    /// Bodies of entries out of every feed are dropped after this long (`RetentionPolicy`).
    public var retain: TimeInterval
    /// The shortest `every` a source file may ask for (`min_every` in tidings.toml).
    public var minimumEvery: TimeInterval
    /// The browser for `render` sources (fixed for the life of a Refresher).
    public var renderer: RendererConfiguration
    /// Where fetched pages are parsed. The commands that refresh give worker processes
    /// (`WorkerPageReader`), so no page can take the process down; the default parses here.
    public var pages: any PageReader = InProcessPageReader()
    /// `images = "proxy"`: limits of the daemon's image proxy and the default mode.
    public var imageProxy = ImageProxyConfiguration()
    /// A WebSub hub told about every feed a publish changed (`hub`); needs `baseURL`.
    public var hub: URL?
    public var hubRetry = HubRetry()

    public init(feedsDirectory: URL, outputDirectory: URL, stateDirectory: URL, baseURL: URL? = nil,
                fetcher: FetcherConfiguration = .init(), articleConcurrency: Int = 4, sourcesAtOnce: Int? = nil,
                retain: TimeInterval = RetentionPolicy.defaultRetain,
                minimumEvery: TimeInterval = SourceParser.defaultMinimumEvery, renderer: RendererConfiguration = .init()) {
        self.renderer = renderer
        self.minimumEvery = minimumEvery
        self.feedsDirectory = feedsDirectory
        self.outputDirectory = outputDirectory
        self.stateDirectory = stateDirectory
        self.baseURL = baseURL
        self.fetcher = fetcher
        self.articleConcurrency = articleConcurrency
        self.sourcesAtOnce = sourcesAtOnce
        self.retain = retain
    }
}
