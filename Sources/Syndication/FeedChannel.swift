import Foundation
import TidingsCore

/// One source's feed as it is to be written.
public struct FeedChannel: Sendable {
    public var source: Source
    /// Newest first, at most `source.keep` (the writers sort and cap again, so any order works).
    public var entries: [FeedEntry]
    public var health: SourceHealth
    /// A line describing the feed (Atom `subtitle`, RSS/JSON `description`), when known.
    public var subtitle: String?
    /// The site's icon (favicon or touch icon), when known; absolute.
    public var icon: URL?

    public init(source: Source, entries: [FeedEntry], health: SourceHealth = .init(),
                subtitle: String? = nil, icon: URL? = nil) {
        self.source = source
        self.entries = entries
        self.health = health
        self.subtitle = subtitle
        self.icon = icon
    }
}
