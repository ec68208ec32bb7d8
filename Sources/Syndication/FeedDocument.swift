import Foundation
import TidingsCore

/// One feed as every writer sees it: cleaned metadata and the entries in their final order.
/// Built from one channel (`<source>.*`) or from all of them (`all.*`), so the three
/// formats carry the same entries, ids and times.
struct FeedDocument {
    /// The file name without extension.
    var stem: String
    /// The feed's own id: a `tag:` URI that does not depend on where the files are served.
    var feedID: String
    var title: String
    var subtitle: String?
    /// The site the feed stands for (absolute), when there is one.
    var siteURL: String?
    var language: String?
    var icon: String?
    var authorName: String
    /// How often the feed is refreshed, in minutes (RSS `ttl`), when known.
    var refreshMinutes: Int?
    /// Newest first, one entry per id.
    var entries: [EntryView]
    /// Newest entry's `updated`; without entries a stable fallback, never the current time.
    var updated: Timestamp

    /// The year in every feed id. Ids must never change, so neither may this.
    static let feedIDYear = "2026"
    /// `updated` of a feed that has no entries and has never been refreshed.
    static let epoch = Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0)

    init(channel: FeedChannel, sourceTitles: [String: String]) {
        let source = channel.source
        stem = source.id
        feedID = Self.feedID(host: source.url.host, stem: source.id)
        title = FeedText.line(source.title).isEmpty ? source.id : FeedText.title(source.title)
        subtitle = FeedText.nonEmptyLine(channel.subtitle)
        siteURL = FeedLinks.webURL(source.url)
        language = LanguageTag.normalized(source.language)
        icon = FeedLinks.webURL(channel.icon)
        authorName = title
        refreshMinutes = Self.minutes(source.every)
        let ordered = EntryOrdering.newestFirst(channel.entries, limit: max(source.keep, 0))
        entries = ordered.map { EntryView(entry: $0, sourceTitle: sourceTitles[$0.sourceID] ?? source.title) }
        updated = Self.newest(entries, fallback: [channel.health.lastSuccess])
    }

    init(combining channels: [FeedChannel], sourceTitles: [String: String], configuration: PublisherConfiguration) {
        stem = Publisher.combinedStem
        feedID = Self.feedID(host: configuration.baseURL?.host, stem: Publisher.combinedStem)
        let siteTitle = FeedText.nonEmptyLine(configuration.siteTitle) ?? "Tidings"
        title = FeedText.title(siteTitle + " · all sources")
        subtitle = "Every source, newest first"
        siteURL = FeedLinks(baseURL: configuration.baseURL).absolute("index.html")?.absoluteString
        let languages = Set(channels.map { LanguageTag.normalized($0.source.language) })
        language = languages.count == 1 ? languages.first! : nil
        icon = nil
        authorName = siteTitle
        refreshMinutes = channels.compactMap { Self.minutes($0.source.every) }.min()
        let perChannel = channels.flatMap { EntryOrdering.newestFirst($0.entries, limit: max($0.source.keep, 0)) }
        let distinct = StoryMerging.merged(EntryOrdering.newestFirst(perChannel, limit: .max))
        let ordered = EntryOrdering.newestFirst(distinct, limit: max(configuration.combinedEntryLimit, 0))
        entries = ordered.map { EntryView(entry: $0, sourceTitle: sourceTitles[$0.sourceID] ?? $0.sourceID) }
        updated = Self.newest(entries, fallback: channels.map(\.health.lastSuccess))
    }

    /// The newest entry's `updated`; without entries the latest of `fallback` (last
    /// successful refreshes), else the epoch.
    static func newest(_ entries: [EntryView], fallback: [Timestamp?]) -> Timestamp {
        if let newest = entries.map(\.updated).max() { return newest }
        return fallback.compactMap { $0?.printable }.max() ?? epoch
    }

    static func minutes(_ seconds: TimeInterval) -> Int? {
        guard seconds.isFinite, seconds > 0 else { return nil }
        return max(1, Int((seconds / 60).rounded(.up).clamped(to: 1...Double(Int32.max))))
    }

    /// `tag:<host>,2026:tidings/<stem>` (RFC 4151); `localhost` when the host is missing or
    /// not a plain DNS name.
    static func feedID(host: String?, stem: String) -> String {
        let lowered = host?.lowercased() ?? ""
        let isDNSName = !lowered.isEmpty && lowered.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
        }
        return "tag:\(isDNSName ? lowered : "localhost"),\(feedIDYear):tidings/\(FeedLinks.relative(stem))"
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
