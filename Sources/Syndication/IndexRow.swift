import TidingsCore

/// One source as the index page shows it: its feed's title and size, its newest entry, its
/// health. Equal rows give equal sections, so a caller may keep rendered sections and redo
/// only the rows that changed.
public struct IndexRow: Sendable, Hashable {
    public var sourceID: String
    public var title: String
    public var siteURL: String?
    public var entryCount: Int
    public var newestTitle: String?
    public var newestLink: String?
    /// The source's health as far as the page shows it (its mark, last success, last error
    /// and when it happened): counters the page does not show are left out, so a refresh that
    /// changes only those leaves the row equal.
    public var health: SourceHealth

    public init(source: Source, entryCount: Int, newestTitle: String?, newestLink: String?, health: SourceHealth) {
        sourceID = source.id
        title = FeedHeader.title(of: source)
        siteURL = FeedLinks.webURL(source.url)
        self.entryCount = entryCount
        self.newestTitle = newestTitle
        self.newestLink = newestLink
        var shown = SourceHealth(lastSuccess: health.lastSuccess, lastError: health.lastError,
                                 consecutiveFailures: health.isFailing ? 1 : 0,
                                 consecutiveEmptyRuns: health.isBroken ? SourceHealth.emptyRunsBeforeBroken : 0)
        // The attempt's time is shown next to an error, and tells a new source from one never reached.
        if health.lastError != nil || health.lastSuccess == nil { shown.lastAttempt = health.lastAttempt }
        if health.lastError != nil { shown.lastErrorKind = health.lastErrorKind }
        self.health = shown
    }
}

/// A source's part of the index page, rendered: its autodiscovery links (in `<head>`) and
/// its section (in `<main>`). A class: a page of 10,000 parts is written by passing
/// references, not by copying every row's strings.
public final class IndexPart: Sendable {
    public let row: IndexRow
    let links: [UInt8]
    let section: [UInt8]

    public init(_ row: IndexRow) {
        self.row = row
        links = IndexPageWriter.links(for: .init(stem: row.sourceID, title: row.title))
        section = IndexPageWriter.section(row)
    }

    public var byteCount: Int { links.count + section.count }
}

extension IndexRow {
    /// True when the two rows show the same source definition (title, site).
    public static func sameSource(_ source: Source, _ row: IndexRow) -> Bool {
        row.sourceID == source.id && row.title == FeedHeader.title(of: source) && row.siteURL == FeedLinks.webURL(source.url)
    }

    /// True when only the times of the last attempt and success differ: the index may show
    /// those a little late.
    public func differsOnlyInTimes(from other: IndexRow) -> Bool {
        var a = self, b = other
        a.health.lastAttempt = nil
        a.health.lastSuccess = a.health.lastSuccess == nil ? nil : FeedHeader.epoch
        b.health.lastAttempt = nil
        b.health.lastSuccess = b.health.lastSuccess == nil ? nil : FeedHeader.epoch
        return a == b
    }
}
