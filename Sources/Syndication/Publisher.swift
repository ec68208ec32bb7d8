import Foundation
import TidingsCore

/// Writes the public folder: for every source `<id>.atom`, `<id>.json` (JSON Feed 1.1) and
/// `<id>.rss` (RSS 2.0); the same three for all sources together (`all.*`); `feeds.opml`;
/// and `index.html`. Each file is replaced atomically, and only when its bytes change:
/// the same channels always give byte-identical files.
public struct Publisher: Sendable {
    public var configuration: PublisherConfiguration

    /// File name stem of the combined feed.
    public static let combinedStem = "all"
    public static let opmlFileName = "feeds.opml"
    public static let indexFileName = "index.html"

    public init(configuration: PublisherConfiguration) {
        self.configuration = configuration
    }

    /// Writes every file for `channels` (one per source; order does not matter).
    public func publish(_ channels: [FeedChannel]) throws(PublishError) -> PublishReport {
        let (sorted, refused) = usableChannels(channels.sorted { $0.source.id < $1.source.id })
        let links = FeedLinks(baseURL: configuration.baseURL, hub: configuration.hub)
        var sourceTitles: [String: String] = [:]
        for channel in sorted { sourceTitles[channel.source.id] = channel.source.title }

        let feeds = sorted.map { FeedDocument(channel: $0, sourceTitles: sourceTitles) }
        let combined = FeedDocument(combining: sorted, sourceTitles: sourceTitles, configuration: configuration)
        let siteTitle = FeedText.nonEmptyLine(configuration.siteTitle) ?? "Tidings"

        var files: [(String, String)] = []
        for feed in feeds + [combined] {
            files.append((FeedLinks.fileName(feed.stem, .atom), AtomWriter.document(feed, links: links)))
            files.append((FeedLinks.fileName(feed.stem, .json), JSONFeedWriter.document(feed, links: links)))
            files.append((FeedLinks.fileName(feed.stem, .rss), RSSWriter.document(feed, links: links)))
        }
        files.append((Self.opmlFileName, OPMLWriter.document(title: siteTitle, feeds: feeds, links: links)))
        let rows = zip(feeds, sorted).map { IndexPageWriter.Row(feed: $0, health: $1.health) }
        // Last, so the page never links to a feed that is not there yet.
        files.append((Self.indexFileName, IndexPageWriter.document(title: siteTitle, rows: rows, combined: combined)))

        let disk = AtomicFile(directory: configuration.outputDirectory)
        try disk.prepare()
        var report = PublishReport(refused: refused)
        for (name, text) in files {
            if try disk.replace(name, with: Data(text.utf8)) {
                report.written.append(name)
            } else {
                report.unchanged.append(name)
            }
        }
        return report
    }

    /// Source ids become file names: one that cannot be one (`SourceID`), or that another
    /// channel already uses, is left out with the reason; every other feed is still written.
    private func usableChannels(_ channels: [FeedChannel]) -> (usable: [FeedChannel], refused: [PublishError]) {
        var seen = Set<String>()
        var usable: [FeedChannel] = []
        var refused: [PublishError] = []
        for channel in channels {
            let id = channel.source.id
            let file = FeedLinks.fileName(id, .atom)
            if let problem = SourceID.problem(id) {
                refused.append(PublishError(file: file, message: "source id '\(id)': \(problem)"))
            } else if !seen.insert(id.lowercased()).inserted {
                refused.append(PublishError(file: file, message: "two channels share the source id '\(id)'"))
            } else {
                usable.append(channel)
            }
        }
        return (usable, refused)
    }
}
