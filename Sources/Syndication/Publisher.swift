import Foundation
import TidingsCore

/// Writes the public folder: for every source `<id>.atom`, `<id>.json` (JSON Feed 1.1) and
/// `<id>.rss` (RSS 2.0); the same three for all sources together (`all.*`); `feeds.opml`;
/// and `index.html`. Each file is streamed to a temporary file and renamed over the old one,
/// and left alone when its bytes would not change: the same input always gives the same bytes.
///
/// The parts can be written separately (one source's feeds, the combined feeds, the index),
/// so a caller that knows what changed rewrites only that; `publish` writes everything.
public struct Publisher: Sendable {
    public var configuration: PublisherConfiguration

    /// File name stem of the combined feed.
    public static let combinedStem = "all"
    public static let opmlFileName = "feeds.opml"
    public static let indexFileName = "index.html"

    /// The files written and not yet in place: `commit` puts them there.
    let batch: FileBatch

    public init(configuration: PublisherConfiguration) {
        self.configuration = configuration
        batch = FileBatch(disk: AtomicFile(directory: configuration.outputDirectory))
    }

    var disk: AtomicFile { AtomicFile(directory: configuration.outputDirectory) }
    var links: FeedLinks { FeedLinks(baseURL: configuration.baseURL, hub: configuration.hub) }
    var siteTitle: String { FeedText.nonEmptyLine(configuration.siteTitle) ?? "Tidings" }

    /// Creates the output folder when missing and, when `removingAbandoned`, removes
    /// temporary files of killed runs (a listing of the whole folder: once per process will do).
    public func prepareFolder(removingAbandoned: Bool = true) throws(PublishError) {
        try disk.prepare(removingAbandoned: removingAbandoned)
    }

    /// Puts the files written so far in place, durably (see `FileBatch`); until then readers
    /// see the old ones. Call it once after writing a set of files.
    public func commit() throws(PublishError) {
        try batch.commit()
    }

    /// Drops the files written so far; the old ones stay.
    public func discardWritten() {
        batch.discard()
    }

    // MARK: Parts

    /// A source's three feeds from its entries, newest first (at most `keep`). When
    /// `refusingLoss`, a feed that would drop entries its Atom file has while it holds fewer
    /// than `keep` is not written (see `PublishError.Kind.wouldLoseEntries`).
    public func writeFeeds(of source: Source, entries: [RenderedEntry], lastSuccess: Timestamp?,
                           subtitle: String? = nil, icon: URL? = nil, refusingLoss: Bool = true) throws(PublishError) -> PublishReport {
        if refusingLoss, let refusal = lossRefusal(of: source, entries: entries) {
            return PublishReport(refused: [refusal])
        }
        let header = FeedHeader(source: source, subtitle: subtitle, icon: icon, entries: entries, lastSuccess: lastSuccess)
        return try writeFeeds(header, entries: entries.map { ($0, []) })
    }

    /// `all.*` from the members of the combined window, in order; `catalog` says what the
    /// sources have in common (`CatalogFacts(sources)`).
    public func writeCombinedFeeds(catalog: CatalogFacts, entries: [(RenderedEntry, related: [String])],
                                   lastSuccesses: @autoclosure () -> [Timestamp?]) throws(PublishError) -> PublishReport {
        let header = FeedHeader(combining: catalog, entries: entries.map(\.0), lastSuccesses: lastSuccesses(),
                                configuration: configuration)
        return try writeFeeds(header, entries: entries)
    }

    /// `index.html`: one part per source, in the order given.
    public func writeIndex(_ parts: [IndexPart], combinedEntryCount: Int) throws(PublishError) -> PublishReport {
        let combined = IndexPageWriter.FeedName(stem: Self.combinedStem, title: FeedText.title(siteTitle + " · all sources"))
        return try stream(Self.indexFileName) { file throws(PublishError) in
            try file.write(IndexPageWriter.headStart(title: siteTitle, combined: combined))
            for part in parts { try file.write(part.links) }
            try file.write(IndexPageWriter.headEnd(title: siteTitle, sourceCount: parts.count, combined: combined,
                                                   combinedEntryCount: combinedEntryCount))
            for part in parts { try file.write(part.section) }
            try file.write(IndexPageWriter.foot(hadSources: !parts.isEmpty))
        }
    }

    /// `feeds.opml` for these sources (sorted by id).
    public func writeOPML(_ sources: [Source]) throws(PublishError) -> PublishReport {
        let outlines = sources.map { OPMLWriter.Outline(source: $0) }
        return try stream(Self.opmlFileName) { file throws(PublishError) in
            try file.write(OPMLWriter.document(title: siteTitle, outlines: outlines, links: links))
        }
    }

    /// Source ids become file names: one that cannot be one (`SourceID`), or that an earlier
    /// source already uses (compared without case), is left out with the reason; the others
    /// are published.
    public func usableSources(_ sources: [Source]) -> (usable: [Source], refused: [PublishError]) {
        usable(sources, source: { $0 })
    }

    func usable<Item>(_ items: [Item], source: (Item) -> Source) -> (usable: [Item], refused: [PublishError]) {
        var seen = Set<String>()
        var usable: [Item] = []
        var refused: [PublishError] = []
        for item in items {
            let id = source(item).id
            let file = FeedLinks.fileName(id, .atom)
            if let problem = SourceID.problem(id) {
                refused.append(PublishError(kind: .name, file: file, message: "source id '\(id)': \(problem)"))
            } else if !seen.insert(id.lowercased()).inserted {
                refused.append(PublishError(kind: .name, file: file, message: "two channels share the source id '\(id)'"))
            } else {
                usable.append(item)
            }
        }
        return (usable, refused)
    }

    // MARK: Everything at once

    /// Writes every file for `channels` (one per source; order does not matter).
    public func publish(_ channels: [FeedChannel]) throws(PublishError) -> PublishReport {
        let (sorted, refused) = usable(channels.sorted { $0.source.id < $1.source.id }, source: \.source)
        let sources = sorted.map(\.source)
        try prepareFolder()
        var titles: [String: String] = [:]
        for source in sources { titles[source.id] = source.title }
        var report = PublishReport(refused: refused)
        var parts: [IndexPart] = []
        var candidates: [CombinedWindow.Candidate] = []
        var byCandidate: [FeedEntry] = []
        for channel in sorted {
            let ordered = EntryOrdering.newestFirst(channel.entries, limit: max(channel.source.keep, 0))
            let rendered = ordered.map { RenderedEntry($0, sourceTitle: titles[$0.sourceID] ?? channel.source.title) }
            let written = try writeFeeds(of: channel.source, entries: rendered, lastSuccess: channel.health.lastSuccess,
                                         subtitle: channel.subtitle, icon: channel.icon)
            report.add(written)
            candidates += ordered.map(CombinedWindow.Candidate.init)
            byCandidate += ordered
            parts.append(IndexPart(IndexRow(source: channel.source, entryCount: rendered.count, newestTitle: rendered.first?.title,
                                            newestLink: rendered.first?.link, health: channel.health)))
        }
        let window = CombinedWindow.select(candidates, limit: configuration.combinedEntryLimit)
        let members = window.map { member in
            let entry = byCandidate[member.candidate]
            return (RenderedEntry(entry, sourceTitle: titles[entry.sourceID] ?? entry.sourceID), related: member.related)
        }
        report.add(try writeCombinedFeeds(catalog: CatalogFacts(sources), entries: members,
                                          lastSuccesses: sorted.map(\.health.lastSuccess)))
        report.add(try writeOPML(sources))
        // Last, so the page never links to a feed that is not there yet.
        report.add(try writeIndex(parts, combinedEntryCount: members.count))
        do {
            try commit()
        } catch {
            discardWritten()
            throw error
        }
        return report
    }

    // MARK: Writing

    private func writeFeeds(_ header: FeedHeader, entries: [(RenderedEntry, related: [String])]) throws(PublishError) -> PublishReport {
        var report = PublishReport()
        let links = self.links
        let atom = try stream(FeedLinks.fileName(header.stem, .atom)) { file throws(PublishError) in
            try file.write(AtomWriter.head(header, links: links))
            var chunk: [UInt8] = []
            for (entry, related) in entries {
                AtomWriter.append(entry, feedLanguage: header.language, related: related, to: &chunk)
                try file.write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
            try file.write(AtomWriter.foot)
        }
        report.add(atom)
        report.add(try stream(FeedLinks.fileName(header.stem, .json)) { file throws(PublishError) in
            try file.write(JSONFeedWriter.head(header, links: links))
            for (index, (entry, _)) in entries.enumerated() {
                try file.write(JSONFeedWriter.separator(first: index == 0))
                try file.write(entry.json)
            }
            try file.write(JSONFeedWriter.foot(hadItems: !entries.isEmpty))
        })
        report.add(try stream(FeedLinks.fileName(header.stem, .rss)) { file throws(PublishError) in
            try file.write(RSSWriter.head(header, links: links))
            for (entry, _) in entries { try file.write(entry.rss) }
            try file.write(RSSWriter.foot)
        })
        return report
    }

    func stream(_ name: String, _ body: (StreamedFile) throws(PublishError) -> Void) throws(PublishError) -> PublishReport {
        let file = try StreamedFile(disk, name: name)
        do throws(PublishError) {
            try body(file)
            guard let written = try file.finish() else { return PublishReport(unchanged: [name]) }
            batch.add(written)
            return PublishReport(written: [name])
        } catch {
            file.abandon()
            throw error
        }
    }
}
