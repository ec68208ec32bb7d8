import Foundation
import Logging
import Refresh
import Storage
import Testing
import TidingsCore

/// The Refresher uses the store it is given and nothing else (a second store, PostgreSQL,
/// plugs in the same way): every refresh and publication goes through the protocol.
@Suite("A store given from outside")
struct InjectedStoreTests {
    @Test("refresh and publish read and write only the injected store, not the configuration's state folder")
    func refresherUsesTheInjectedStore() async throws {
        let harness = try await RefreshHarness()
        let elsewhere = harness.root.appendingPathComponent("elsewhere")
        let store = RecordingStore(base: try SQLiteStore(directory: elsewhere))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let refresher = try await Refresher(configuration: harness.refresher.configuration, store: store, logger: logger)
        let report = await refresher.refresh(harness.source)
        #expect(report.newArticles == 4 && report.isClean)
        let published = try await refresher.publish([harness.source])
        #expect(published.written.contains("qingxi.atom"))
        #expect(try harness.entries().count == 4)
        let calls = store.calls
        #expect(calls["save"] == 1, "one batch save for the run: \(calls)")
        #expect(calls["feedSnapshot", default: 0] >= 1 && calls["markPublished", default: 0] >= 1)
        #expect(calls["saveHealth"] == 1 && calls["saveFetchState"] == 1)
        #expect(try await store.base.entryCount(sourceID: harness.source.id) == 4)
        #expect(try await harness.refresher.store.entryCount(sourceID: harness.source.id) == 0,
                "the configuration's state folder was not written to")
    }
}

/// Forwards every call to an SQLite store and counts them by name.
final class RecordingStore: ArticleStore, @unchecked Sendable {
    // @unchecked Sendable: `counts` is read and written only under `lock`.
    let base: SQLiteStore
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    init(base: SQLiteStore) { self.base = base }

    var calls: [String: Int] { lock.withLock { counts } }

    private func count(_ name: String) { lock.withLock { counts[name, default: 0] += 1 } }

    func knownURLs(_ urls: [String], sourceID: String) async throws(StorageError) -> Set<String> {
        count("knownURLs")
        return try await base.knownURLs(urls, sourceID: sourceID)
    }

    func save(_ articles: [ArticleToSave], sourceID: String, fence: WriteFence?) async throws(StorageError) -> [FeedEntry] {
        count("save")
        return try await base.save(articles, sourceID: sourceID, fence: fence)
    }

    func entries(sourceID: String, limit: Int) async throws(StorageError) -> [FeedEntry] {
        count("entries")
        return try await base.entries(sourceID: sourceID, limit: limit)
    }

    func entries(keys: [EntryKey]) async throws(StorageError) -> [FeedEntry] {
        count("entriesByKey")
        return try await base.entries(keys: keys)
    }

    func entryCount(sourceID: String) async throws(StorageError) -> Int {
        count("entryCount")
        return try await base.entryCount(sourceID: sourceID)
    }

    func fetchState(sourceID: String, url: String) async throws(StorageError) -> FetchState? {
        count("fetchState")
        return try await base.fetchState(sourceID: sourceID, url: url)
    }

    func saveFetchState(_ state: FetchState, fence: WriteFence?) async throws(StorageError) {
        count("saveFetchState")
        try await base.saveFetchState(state, fence: fence)
    }

    func health(sourceID: String) async throws(StorageError) -> SourceHealth {
        count("health")
        return try await base.health(sourceID: sourceID)
    }

    func allHealth() async throws(StorageError) -> [String: SourceHealth] {
        count("allHealth")
        return try await base.allHealth()
    }

    func saveHealth(_ health: SourceHealth, sourceID: String, fence: WriteFence?) async throws(StorageError) {
        count("saveHealth")
        try await base.saveHealth(health, sourceID: sourceID, fence: fence)
    }

    func robotsRecord(origin: String) async throws(StorageError) -> StoredRobotsAnswer? {
        count("robotsRecord")
        return try await base.robotsRecord(origin: origin)
    }

    func saveRobotsRecord(_ record: StoredRobotsAnswer) async throws(StorageError) {
        count("saveRobotsRecord")
        try await base.saveRobotsRecord(record)
    }

    func feedRecords() async throws(StorageError) -> [String: FeedRecord] {
        count("feedRecords")
        return try await base.feedRecords()
    }

    func feedSnapshot(sourceID: String, limit: Int) async throws(StorageError) -> FeedSnapshot {
        count("feedSnapshot")
        return try await base.feedSnapshot(sourceID: sourceID, limit: limit)
    }

    func markPublished(_ records: [FeedRecord], fence: WriteFence?) async throws(StorageError) {
        count("markPublished")
        try await base.markPublished(records, fence: fence)
    }

    func combinedCandidates(keep: [String: Int], limit: Int) async throws(StorageError) -> [EntryHead] {
        count("combinedCandidates")
        return try await base.combinedCandidates(keep: keep, limit: limit)
    }

    func applyRetention(keep: [String: Int], margin: @Sendable (Int) -> Int, before: Timestamp) async throws(StorageError) -> RetentionReport {
        count("applyRetention")
        return try await base.applyRetention(keep: keep, margin: margin, before: before)
    }

    func verifyIntact() throws(StorageError) {
        try base.verifyIntact()
    }
}
