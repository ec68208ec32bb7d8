import Foundation
import TidingsCore

/// What a feed says about itself, before its entries: cleaned metadata every writer shares,
/// for one source's feed (`<source>.*`) or for all of them (`all.*`), so the three formats
/// carry the same title, id and times.
struct FeedHeader {
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
    /// Newest entry's `updated`; without entries a stable fallback, never the current time.
    var updated: Timestamp

    /// The year in every feed id. Ids must never change, so neither may this.
    static let feedIDYear = "2026"
    /// `updated` of a feed that has no entries and has never been refreshed.
    static let epoch = Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0)

    init(source: Source, subtitle: String?, icon: URL?, entries: [RenderedEntry], lastSuccess: Timestamp?) {
        stem = source.id
        feedID = Self.feedID(host: source.url.host, stem: source.id)
        title = Self.title(of: source)
        self.subtitle = FeedText.nonEmptyLine(subtitle)
        siteURL = FeedLinks.webURL(source.url)
        language = LanguageTag.normalized(source.language)
        self.icon = FeedLinks.webURL(icon)
        authorName = title
        refreshMinutes = Self.minutes(source.every)
        updated = Self.newest(entries, fallback: [lastSuccess])
    }

    init(combining facts: CatalogFacts, entries: [RenderedEntry], lastSuccesses: @autoclosure () -> [Timestamp?],
         configuration: PublisherConfiguration) {
        stem = Publisher.combinedStem
        feedID = Self.feedID(host: configuration.baseURL?.host, stem: Publisher.combinedStem)
        let siteTitle = FeedText.nonEmptyLine(configuration.siteTitle) ?? "Tidings"
        title = FeedText.title(siteTitle + " · all sources")
        subtitle = "Every source, newest first"
        siteURL = FeedLinks(baseURL: configuration.baseURL).absolute("index.html")?.absoluteString
        language = facts.language
        icon = nil
        authorName = siteTitle
        refreshMinutes = facts.refreshMinutes
        updated = entries.isEmpty ? Self.newest([], fallback: lastSuccesses()) : Self.newest(entries, fallback: [])
    }

    /// The source's title as feeds show it (the id when it has none).
    static func title(of source: Source) -> String {
        FeedText.line(source.title).isEmpty ? source.id : FeedText.title(source.title)
    }

    /// The language every source shares, or nil when they differ.
    static func commonLanguage(of sources: some Sequence<Source>) -> String? {
        var common: String??
        for source in sources {
            let language = LanguageTag.normalized(source.language)
            if common == nil { common = .some(language) } else if common! != language { return nil }
        }
        return common ?? nil
    }

    /// The newest entry's `updated`; without entries the latest of `fallback` (last
    /// successful refreshes), else the epoch.
    static func newest(_ entries: [RenderedEntry], fallback: [Timestamp?]) -> Timestamp {
        if let newest = entries.lazy.map(\.updated).max() { return newest }
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

/// What the combined feed says about the whole catalog: worked out once per catalog, not at
/// every write of `all.*`.
public struct CatalogFacts: Sendable, Hashable {
    /// The language every source shares, or nil when they differ.
    var language: String?
    /// The shortest refresh interval, in minutes (RSS `ttl`).
    var refreshMinutes: Int?

    public init(_ sources: [Source]) {
        language = FeedHeader.commonLanguage(of: sources)
        refreshMinutes = sources.lazy.compactMap { FeedHeader.minutes($0.every) }.min()
    }
}
