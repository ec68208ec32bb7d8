import Fetching
import Foundation
import Logging
import Storage
import Syndication
import TidingsCore

/// Keeps the output folder in step with the store, doing only what changed: a source whose
/// entries did not change keeps its feed files untouched (not even rendered); one that
/// gained an entry gets its three feeds rewritten; the combined feeds are chosen from the
/// newest entries the store indexes (not from every source's feed) and rewritten only when
/// their window changed; the index page reuses the sections of unchanged sources. Every file
/// is streamed, so memory follows the size of one feed, not of the catalog.
///
/// One publication at a time (an actor): the daemon publishes from one task, a CLI run once.
actor FeedPublication {
    private let store: any ArticleStore
    /// The store's copy of the written files, when nodes share it (PostgreSQL); nil for SQLite.
    private let documents: (any FeedDocumentStore)?
    private let healthBook: HealthBook
    private let logger: Logger

    /// The catalog as last published, by id, sorted.
    private var sources: [Source] = []
    private var sourceByID: [String: Source] = [:]
    private var catalogFacts = CatalogFacts([])
    private var keep: [String: Int] = [:]
    /// Sources with a `[filter]`, compiled.
    private var filters: [String: ArticleFilter] = [:]
    /// The entries each filtered source's feed shows (as last written): only those may
    /// enter the combined feed.
    private var shown: [String: Set<EntryKey>] = [:]
    /// Publishing state per source, as the store has it (loaded once).
    private var records: [String: FeedRecord]?
    /// Signature of each source's definition (what its files depend on besides entries).
    private var signatures: [String: String] = [:]
    /// Sources whose entries changed since their feeds were written.
    private var dirty = Set<String>()
    /// Sources whose health changed since the index page was written.
    private var healthChanged = Set<String>()
    /// Feeds left as they were because they would have lost entries, with the reason.
    private var refusals: [String: (version: Int64, error: PublishError)] = [:]
    /// Each source's part of the index page, rendered when its row changes, in the order of
    /// `sources` (nil: to be rendered before the next write; only after `adopt`).
    private var indexParts: [IndexPart?] = []
    private var indexPosition: [String: Int] = [:]
    /// A part changed only in its times since the index page was last written.
    private var indexTimesStale = false
    /// The index page must be written at the next publication (a new catalog, a failed write).
    private var indexForced = true
    private var lastIndexWrite: Date?
    /// Members of the combined window as last written (entry, revision, related links).
    private var combinedSignature: [WindowMark]?
    private var renderings = RenderCache()
    /// Entries of the combined feed as last written (the index page shows the number).
    private var combinedCount = 0
    private var forceIndexForCount = false
    /// How entries are shown in this publication (images behind the proxy or not).
    private var presentation = EntryPresentation.asStored
    /// Files written (or found missing from the store) whose copy the store does not have yet.
    private var pendingDocuments = Set<String>()
    /// The lease each source's entries were last stored under: its files are stored under it too.
    private var fences: [String: WriteFence] = [:]
    private var documentsChecked = false

    struct WindowMark: Hashable {
        var key: EntryKey
        var revision: Int64
        var related: [String]
    }

    /// The combined feed is chosen from this many times its size of the newest entries, so
    /// that copies of a story just past its end still merge into it.
    static let candidateFactor = 2
    /// The index page's "last successful refresh" times may lag by this much: rewriting a
    /// page of 10,000 sections after each unchanged refresh would cost more than everything else.
    static let indexTimesRefreshInterval: TimeInterval = 300
    /// Bumped whenever the writers' output changes, so every feed is written again once.
    static let formatVersion = 3

    init(store: any ArticleStore, healthBook: HealthBook, logger: Logger) {
        self.store = store
        self.documents = store as? any FeedDocumentStore
        self.healthBook = healthBook
        self.logger = logger
    }

    /// Marks from refreshes, taken without waiting for a publication in progress.
    private nonisolated let marks = ChangeMarks()

    /// `fence`: the lease the entries were stored under (its files are stored under it too).
    nonisolated func entriesChanged(_ sourceID: String, fence: WriteFence? = nil) { marks.entriesChanged(sourceID, fence: fence) }

    nonisolated func healthChanged(_ sourceID: String) { marks.healthChanged(sourceID) }

    /// What keeps feeds from being written as they should: refusals to lose entries.
    var problems: [String] { refusals.values.map(\.error.description).sorted() }

    /// Brings the output folder up to date. `catalogChanged` (first call, a reload) makes
    /// every source's definition be checked again; otherwise only refreshed sources are looked at.
    func publish(_ catalog: [Source], catalogChanged: Bool, publisher: Publisher,
                 presentation: EntryPresentation = .asStored, forceIndex: Bool) async throws -> PublishReport {
        // An actor runs other calls while this one waits for the store: keep publications whole.
        while isPublishing { await withCheckedContinuation { waitingTurn.append($0) } }
        isPublishing = true
        defer {
            isPublishing = false
            if !waitingTurn.isEmpty { waitingTurn.removeFirst().resume() }
        }
        self.presentation = presentation
        do {
            return try await publishNow(catalog, catalogChanged: catalogChanged, publisher: publisher, forceIndex: forceIndex)
        } catch {
            publisher.discardWritten()
            throw error
        }
    }

    private var isPublishing = false
    private var waitingTurn: [CheckedContinuation<Void, Never>] = []

    private func publishNow(_ catalog: [Source], catalogChanged: Bool, publisher: Publisher, forceIndex: Bool) async throws -> PublishReport {
        try store.verifyIntact()
        let (entries, health, newFences) = marks.take()
        dirty.formUnion(entries)
        fences.merge(newFences) { _, new in new }
        healthChanged.formUnion(health)
        var report = PublishReport()
        let firstRun = records == nil
        if firstRun { records = try await store.feedRecords() }
        if catalogChanged || firstRun {
            try adopt(catalog, publisher: publisher)
        }
        if !documentsChecked {
            try await findMissingDocuments()
            documentsChecked = true
        }
        // Listing the folder for leftovers of killed runs costs a read of every file name.
        try publisher.prepareFolder(removingAbandoned: firstRun)

        var feedsChanged = false
        var written: [FeedRecord] = []
        do {
            for id in dirty.sorted() {
                // Taken off first: a refresh that stores more while this one writes marks it again.
                dirty.remove(id)
                guard let source = sourceByID[id] else { continue }
                let (feeds, record) = try await writeFeeds(of: source, publisher: publisher)
                report.add(feeds)
                feedsChanged = feedsChanged || !feeds.written.isEmpty
                if let record { written.append(record) }
            }
            if feedsChanged || catalogChanged || combinedSignature == nil {
                report.add(try await writeCombinedFeeds(publisher: publisher, catalogChanged: catalogChanged))
            }
            if catalogChanged || firstRun {
                report.add(try publisher.writeOPML(sources))
            }
            if let index = try writeIndex(publisher: publisher, force: forceIndex || catalogChanged || firstRun || forceIndexForCount) {
                report.add(index)
                forceIndexForCount = false
            }
            try publisher.commit()
            pendingDocuments.formUnion(report.written)
        } catch {
            // Nothing of this publication is in place: everything it meant to write is stale.
            dirty.formUnion(written.map(\.sourceID))
            combinedSignature = nil
            indexForced = true
            throw error
        }
        // Only now that the files are in place: what they show is recorded as published.
        do {
            try await store.markPublished(written, fence: nil)
        } catch {
            dirty.formUnion(written.map(\.sourceID))
            throw error
        }
        try await storeDocuments(in: publisher.configuration.outputDirectory)
        return report
    }

    // MARK: The store's copy of the files

    /// A shared store without a copy of a file this node serves: the source's feeds are
    /// written again (from the stored entries, so they are current) and stored.
    private func findMissingDocuments() async throws {
        guard let documents else { return }
        let stored = Set(try await documents.documentHeads(after: 0).map(\.name))
        for source in sources where Publisher.feedFileNames(of: source.id).contains(where: { !stored.contains($0) }) {
            dirty.insert(source.id)
            pendingDocuments.formUnion(Publisher.feedFileNames(of: source.id))
        }
        let shared = Publisher.feedFileNames(of: Publisher.combinedStem) + [Publisher.opmlFileName, Publisher.indexFileName]
        pendingDocuments.formUnion(shared.filter { !stored.contains($0) })
    }

    /// Stores the pending files as they are in the output folder, each source's under the
    /// lease its entries were stored under. A file whose lease was claimed again since is not
    /// stored: the node that holds it now writes that feed.
    private func storeDocuments(in folder: URL) async throws {
        guard let documents, !pendingDocuments.isEmpty else { return }
        let names = pendingDocuments.sorted()
        var batch: [FeedDocument] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            let stem = (name as NSString).deletingPathExtension
            batch.append(FeedDocument(name: name, body: Array(data), hash: BodyHash.of(data), modified: Date(),
                                      fence: sourceByID[stem] != nil ? fences[stem] : nil))
        }
        let saved = try await documents.saveDocuments(batch)
        pendingDocuments.subtract(names)
        for name in saved.fenced {
            logger.warning("feed file not shared: another node holds its host now",
                           metadata: ["file": "\(name)"])
        }
    }

    /// Takes a new catalog: signatures, and the sources whose feeds are stale.
    private func adopt(_ catalog: [Source], publisher: Publisher) throws {
        var seen = Set<String>()
        let (usable, refused) = publisher.usableSources(catalog.sorted(by: { $0.id < $1.id }).filter { seen.insert($0.id).inserted })
        for refusal in refused {
            logger.error("source not published", metadata: ["file": "\(refusal.file)", "error": "\(refusal)"])
        }
        let base = publisher.configuration.baseURL?.absoluteString ?? ""
        let hub = publisher.configuration.hub?.absoluteString ?? ""
        // A source whose definition changed shows differently on the index page too.
        var oldParts: [String: IndexPart] = [:]
        for (source, part) in zip(sources, indexParts) { oldParts[source.id] = part }
        indexParts = usable.map { source in oldParts[source.id].flatMap { IndexRow.sameSource(source, $0.row) ? $0 : nil } }
        indexPosition = Dictionary(uniqueKeysWithValues: usable.enumerated().map { ($0.element.id, $0.offset) })
        indexForced = true
        sources = usable
        sourceByID = Dictionary(uniqueKeysWithValues: usable.map { ($0.id, $0) })
        keep = sourceByID.mapValues { max(0, $0.keep) }
        filters = sourceByID.filter { !$0.value.filter.isEmpty }.mapValues { ArticleFilter($0.filter) }
        shown = shown.filter { filters[$0.key] != nil }
        // What a filtered feed shows is known once it is written: write it once after a start.
        for id in filters.keys where shown[id] == nil { dirty.insert(id) }
        catalogFacts = CatalogFacts(usable)
        signatures = sourceByID.mapValues { Self.signature(of: $0, baseURL: base, hub: hub, shown: presentation.signature($0)) }
        for source in usable {
            let record = records?[source.id]
            if record?.signature != signatures[source.id] || record?.publishedVersion != record?.version || record == nil {
                dirty.insert(source.id)
            }
        }
        renderings.removeAll()
    }

    // MARK: One source

    /// The source's feeds, and the record to keep once they are in place (nil: kept back).
    private func writeFeeds(of source: Source, publisher: Publisher) async throws -> (PublishReport, FeedRecord?) {
        let filter = filters[source.id]
        let snapshot = try await filteredSnapshot(of: source, filter: filter)
        if filter != nil { shown[source.id] = Set(snapshot.entries.map { EntryKey(sourceID: $0.sourceID, id: $0.id) }) }
        if let refused = refusals[source.id], refused.version == snapshot.version {
            return (PublishReport(refused: [refused.error]), nil)
        }
        let rendered = presentation.prepare(snapshot.entries, source).map { RenderedEntry($0, sourceTitle: source.title) }
        let health = healthBook[source.id]
        // A filter hides entries the feed had on purpose: that is no sign of a lost state.
        let report = try publisher.writeFeeds(of: source, entries: rendered, lastSuccess: health.lastSuccess,
                                              refusingLoss: filter == nil)
        if let refusal = report.refused.first {
            if refusals[source.id] == nil {
                logger.error("feed not written: it would lose entries", metadata: ["source.id": "\(source.id)", "error": "\(refusal)"])
            }
            refusals[source.id] = (snapshot.version, refusal)
            return (report, nil)
        }
        refusals[source.id] = nil
        let record = FeedRecord(sourceID: source.id, version: snapshot.version, publishedVersion: snapshot.version,
                                signature: signatures[source.id], entryCount: rendered.count,
                                newestTitle: rendered.first?.title, newestLink: rendered.first?.link)
        records?[source.id] = record
        healthChanged.insert(source.id)
        return (report, record)
    }

    /// The newest `keep` entries of a source that its filter shows, with the feed version they
    /// were read at. Hidden entries do not count against `keep`, so the store is asked for
    /// more until enough pass, it has no more, or `ArticleFilter.maximumScanned` were read.
    private func filteredSnapshot(of source: Source, filter: ArticleFilter?) async throws -> FeedSnapshot {
        let limit = max(0, source.keep)
        var asked = limit
        while true {
            let batch = try await store.feedSnapshot(sourceID: source.id, limit: asked)
            guard let filter else { return batch }
            let shown = batch.entries.filter { filter.admits($0.article) }
            if shown.count >= limit || batch.entries.count < asked || asked >= ArticleFilter.maximumScanned {
                return FeedSnapshot(entries: Array(shown.prefix(limit)), version: batch.version)
            }
            asked = min(max(asked, 1) * 4, ArticleFilter.maximumScanned)
        }
    }

    // MARK: The combined feeds

    private func writeCombinedFeeds(publisher: Publisher, catalogChanged: Bool) async throws -> PublishReport {
        let limit = max(0, publisher.configuration.combinedEntryLimit)
        // A filtered source's shown entries may rank anywhere among its stored ones.
        var reach = keep
        for id in filters.keys { reach[id] = ArticleFilter.maximumScanned }
        let heads = try await store.combinedCandidates(keep: reach, limit: limit * Self.candidateFactor)
            .filter { head in shown[head.key.sourceID].map { $0.contains(head.key) } ?? true }
        let candidates = heads.map {
            CombinedWindow.Candidate(sourceID: $0.key.sourceID, id: $0.key.id, sortTime: $0.sortTime, firstSeen: $0.firstSeen,
                                     updated: $0.updated, fingerprint: $0.fingerprint, link: $0.canonicalURL)
        }
        let members = CombinedWindow.select(candidates, limit: limit)
        let marks = members.map { WindowMark(key: heads[$0.candidate].key, revision: heads[$0.candidate].revision, related: $0.related) }
        if !catalogChanged && marks == combinedSignature { return PublishReport() }

        var missing: [EntryKey] = []
        for member in members {
            let head = heads[member.candidate]
            if renderings[head.key, revision: head.revision] == nil { missing.append(head.key) }
        }
        let revisions = Dictionary(heads.map { ($0.key, $0.revision) }, uniquingKeysWith: { first, _ in first })
        for (sourceID, stored) in Dictionary(grouping: try await store.entries(keys: missing), by: \.sourceID) {
            guard let source = sourceByID[sourceID] else { continue }
            for entry in presentation.prepare(stored, source) {
                let key = EntryKey(sourceID: entry.sourceID, id: entry.id)
                guard let revision = revisions[key] else { continue }
                renderings[key, revision: revision] = RenderedEntry(entry, sourceTitle: source.title)
            }
        }
        var entries: [(RenderedEntry, related: [String])] = []
        for member in members {
            let head = heads[member.candidate]
            if let rendered = renderings[head.key, revision: head.revision] { entries.append((rendered, member.related)) }
        }
        renderings.keepOnly(Set(marks.map(\.key)))
        let report = try publisher.writeCombinedFeeds(catalog: catalogFacts, entries: entries,
                                                      lastSuccesses: healthBook.lastSuccesses(of: sources.map(\.id)))
        combinedSignature = marks
        if combinedCount != entries.count { forceIndexForCount = true }
        combinedCount = entries.count
        return report
    }

    // MARK: The index page

    /// Renders the parts of sources whose row changed (each refresh pays for its own row, so
    /// the page costs no more than writing it out when one source changes), then writes the
    /// index when a row changed for more than its times, or when the times are older than
    /// `indexTimesRefreshInterval`; nil when left alone.
    private func writeIndex(publisher: Publisher, force: Bool) throws -> PublishReport? {
        var significant = force || indexForced
        for id in healthChanged {
            // A part not rendered yet is rendered below: the page is due then (`indexForced`).
            guard let at = indexPosition[id], let old = indexParts[at] else { continue }
            let row = indexRow(of: sources[at])
            if old.row == row { continue }
            if old.row.differsOnlyInTimes(from: row) { indexTimesStale = true } else { significant = true }
            indexParts[at] = IndexPart(row)
        }
        healthChanged.removeAll()
        let isDue = lastIndexWrite.map { Date().timeIntervalSince($0) >= Self.indexTimesRefreshInterval } ?? true
        guard significant || (isDue && indexTimesStale) else { return nil }
        for at in indexParts.indices where indexParts[at] == nil {
            indexParts[at] = IndexPart(indexRow(of: sources[at]))
        }
        lastIndexWrite = Date()
        indexTimesStale = false
        indexForced = false
        // A plain array: a generic collection crossing into Syndication is iterated unspecialized.
        return try publisher.writeIndex(indexParts.map { $0! }, combinedEntryCount: combinedCount)
    }

    private func indexRow(of source: Source) -> IndexRow {
        let record = records?[source.id]
        return IndexRow(source: source, entryCount: record?.entryCount ?? 0, newestTitle: record?.newestTitle,
                        newestLink: record?.newestLink, health: healthBook[source.id])
    }

    // MARK: Signatures

    /// What a source's feed files depend on besides its entries: its definition, the public
    /// base URL (self links), the WebSub hub, how its entries are shown (`EntryPresentation`)
    /// and the writers' version. FNV-1a, so it is stable across runs.
    static func signature(of source: Source, baseURL: String, hub: String = "", shown: String = "") -> String {
        let text = [String(formatVersion), TidingsVersion.current, baseURL, hub, shown, source.id, source.title, source.url.absoluteString,
                    source.language ?? "", String(source.keep), String(source.every),
                    source.filter.isEmpty ? "" : "\(source.filter)"].joined(separator: "\u{1F}")
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }
}

/// What is done to a source's stored entries before they are written, and what decides it
/// (part of the source's signature, so a change rewrites its feeds).
struct EntryPresentation: Sendable {
    var prepare: @Sendable ([FeedEntry], Source) -> [FeedEntry]
    var signature: @Sendable (Source) -> String

    static let asStored = EntryPresentation(prepare: { entries, _ in entries }, signature: { _ in "" })
}

/// What refreshes changed since the last publication: sources whose entries changed, and
/// sources whose health changed.
// @unchecked Sendable: both sets are guarded by `lock`.
final class ChangeMarks: @unchecked Sendable {
    private let lock = NSLock()
    private var entries = Set<String>()
    private var health = Set<String>()
    private var fences: [String: WriteFence] = [:]

    func entriesChanged(_ sourceID: String, fence: WriteFence? = nil) {
        lock.withLock {
            entries.insert(sourceID)
            if let fence { fences[sourceID] = fence }
        }
    }

    func healthChanged(_ sourceID: String) { lock.withLock { _ = health.insert(sourceID) } }

    func take() -> (entries: Set<String>, health: Set<String>, fences: [String: WriteFence]) {
        lock.withLock {
            defer { entries = []; health = []; fences = [:] }
            return (entries, health, fences)
        }
    }
}

/// Renderings of the combined window's entries, so a new entry renders itself and not the
/// 500 others. Bounded by the window: everything else is dropped after each write.
struct RenderCache {
    private var entries: [EntryKey: (revision: Int64, rendered: RenderedEntry)] = [:]

    subscript(key: EntryKey, revision revision: Int64) -> RenderedEntry? {
        get { entries[key].flatMap { $0.revision == revision ? $0.rendered : nil } }
        set { entries[key] = newValue.map { (revision, $0) } }
    }

    mutating func keepOnly(_ keys: Set<EntryKey>) {
        entries = entries.filter { keys.contains($0.key) }
    }

    mutating func removeAll() { entries.removeAll() }
}
