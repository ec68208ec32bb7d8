import Foundation

/// Options of the Syndication writers.
public struct PublisherConfiguration: Sendable {
    /// The folder the feeds, index.html and feeds.opml are written to.
    public var outputDirectory: URL
    /// Public base URL the output folder is served under (for `rel="self"` links); nil = relative file links.
    public var baseURL: URL?
    /// Title of the combined feed (`all.*`), the OPML file and the index page.
    public var siteTitle: String
    /// The most entries the combined feed (`all.*`) carries, newest first.
    public var combinedEntryLimit: Int
    /// A WebSub hub every feed names beside its self link; nil for none.
    public var hub: URL?

    /// Default for `combinedEntryLimit`: a day of a few dozen busy sources, and still a feed
    /// file of a few megabytes that phone readers download without trouble.
    public static let defaultCombinedEntryLimit = 500

    public init(outputDirectory: URL, baseURL: URL? = nil, siteTitle: String = "Tidings",
                combinedEntryLimit: Int = PublisherConfiguration.defaultCombinedEntryLimit, hub: URL? = nil) {
        self.hub = hub
        self.outputDirectory = outputDirectory
        self.baseURL = baseURL
        self.siteTitle = siteTitle
        self.combinedEntryLimit = combinedEntryLimit
    }
}
