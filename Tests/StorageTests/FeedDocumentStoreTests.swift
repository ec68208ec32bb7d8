import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Storage

/// The rendered feed files and catalogs a shared store keeps (PostgreSQL only: SQLite's
/// output folder is the only copy), and the LISTEN connection that reports their changes.
@Suite("Shared store: feed files, their notifications, node catalogs", .serialized)
struct FeedDocumentStoreTests {
    func document(_ name: String, _ text: String, fence: WriteFence? = nil) -> FeedDocument {
        let body = Array(text.utf8)
        return FeedDocument(name: name, body: body, hash: BodyHashStandIn.of(body), modified: Date(timeIntervalSince1970: 1_700_000_000.75),
                            fence: fence)
    }

    @Test("a changed file gets a new version; the same bytes again keep it; heads after a version list only what changed")
    func versions() async throws {
        let store = try await PostgresStore(conninfo: try ThrowawayPostgres.freshDatabase())
        let first = try await store.saveDocuments([document("a.atom", "<feed>1</feed>"), document("all.atom", "<feed>all</feed>")])
        #expect(first.stored.map(\.name) == ["a.atom", "all.atom"])
        let again = try await store.saveDocuments([document("a.atom", "<feed>1</feed>")])
        #expect(again.stored.isEmpty && again.unchanged == ["a.atom"])
        let newest = try #require(first.stored.map(\.version).max())
        let changed = try await store.saveDocuments([document("a.atom", "<feed>2</feed>")])
        let version = try #require(changed.stored.first?.version)
        #expect(version > newest)
        #expect(try await store.documentHeads(after: newest).map(\.name) == ["a.atom"])
        #expect(Set(try await store.documentHeads(after: 0).map(\.name)) == ["a.atom", "all.atom"])
        let stored = try #require(try await store.document(named: "a.atom"))
        #expect(stored.body == Array("<feed>2</feed>".utf8))
        #expect(stored.head.version == version)
        #expect(stored.head.modified == Date(timeIntervalSince1970: 1_700_000_000), "Last-Modified has whole seconds")
        #expect(try await store.document(named: "missing.atom") == nil)
    }

    @Test("bytes that are not UTF-8 (a gzip member, a NUL) come back exactly")
    func binaryBytes() async throws {
        let store = try await PostgresStore(conninfo: try ThrowawayPostgres.freshDatabase())
        let bytes: [UInt8] = [0x1F, 0x8B, 0x00, 0xFF, 0xFE, 0x5C, 0x78, 0x00]
        try await store.saveDocuments([FeedDocument(name: "b.bin", body: bytes, hash: BodyHashStandIn.of(bytes), modified: Date())])
        #expect(try await store.document(named: "b.bin")?.body == bytes)
    }

    @Test("a file written under a lease claimed again since is refused; the stored one stays")
    func fencedDocuments() async throws {
        let store = try await PostgresStore(conninfo: try ThrowawayPostgres.freshDatabase())
        let old = try #require(try await store.claimLease("host:news.example.com", owner: "node-a", for: 60))
        try await store.saveDocuments([document("a.atom", "<feed>by a</feed>", fence: old)])
        let current = try #require(try await store.claimLease("host:news.example.com", owner: "node-a", for: 60))
        let late = try await store.saveDocuments([document("a.atom", "<feed>late</feed>", fence: old),
                                                  document("all.atom", "<feed>all</feed>")])
        #expect(late.fenced == ["a.atom"])
        #expect(late.stored.map(\.name) == ["all.atom"], "the other files of the batch are stored")
        #expect(try await store.document(named: "a.atom")?.body == Array("<feed>by a</feed>".utf8))
        let now = try await store.saveDocuments([document("a.atom", "<feed>current</feed>", fence: current)])
        #expect(now.stored.map(\.name) == ["a.atom"])
    }

    @Test("the watch listens, hears a store from another connection, and listens again after its backend is terminated")
    func watchHearsChanges() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let store = try await PostgresStore(conninfo: conninfo)
        let writer = try await PostgresStore(conninfo: conninfo)
        let events = EventRecorder()
        let watch = store.watchDocuments(retryDelay: 0.2) { events.record($0) }
        defer { watch.stop() }
        #expect(await events.wait { $0.contains(.listening) })
        #expect(watch.isListening)
        try await writer.saveDocuments([document("a.atom", "<feed>1</feed>")])
        #expect(await events.wait { $0.contains(.changed) })

        let connection = try PGConnection(conninfo)
        let ended = try connection.execute("""
            SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
            WHERE application_name = $1 AND datname = current_database()
            """, [.text(PGListener.applicationName)])
        #expect(ended.count == 1)
        #expect(await events.wait { $0.contains { if case .lost = $0 { true } else { false } } })
        #expect(await events.wait { $0.filter { $0 == .listening }.count == 2 }, "opened again after the retry delay")
        events.clear()
        try await writer.saveDocuments([document("a.atom", "<feed>2</feed>")])
        #expect(await events.wait { $0.contains(.changed) })
        watch.stop()
        #expect(!watch.isListening)
    }

    @Test("a watch on a server that is not there reports the loss and keeps trying; after stop it reports nothing")
    func watchWithoutServer() async throws {
        let events = EventRecorder()
        let failing = PGListener(conninfo: "host=/nonexistent-tidings-socket-dir user=postgres connect_timeout=1",
                                 channel: PostgresStore.documentChannel, retryDelay: 0.05) { events.record($0) }
        #expect(await events.wait { $0.filter { if case .lost = $0 { true } else { false } }.count >= 2 })
        #expect(!failing.isListening)
        failing.stop()
        let count = events.all.count
        // Ten retry delays: a thread still trying would have reported again by now.
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(events.all.count == count)
    }

    @Test("each node's catalog is kept once, refreshed in place, and a node not heard from lately drops out")
    func nodeCatalogs() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let store = try await PostgresStore(conninfo: conninfo)
        try await store.saveNodeCatalog(NodeCatalog(node: "node-a", hash: "aaaa", sourceCount: 3))
        try await store.saveNodeCatalog(NodeCatalog(node: "node-b", hash: "bbbb", sourceCount: 4))
        try await store.saveNodeCatalog(NodeCatalog(node: "node-a", hash: "cccc", sourceCount: 5))
        let catalogs = try await store.nodeCatalogs(seenWithin: 60)
        #expect(catalogs.map(\.node) == ["node-a", "node-b"])
        #expect(catalogs.map(\.hash) == ["cccc", "bbbb"])
        #expect(catalogs.first?.sourceCount == 5)
        try PGConnection(conninfo).execute("UPDATE node_catalog SET seen_at = now() - interval '1 hour' WHERE node = 'node-b'")
        #expect(try await store.nodeCatalogs(seenWithin: 60).map(\.node) == ["node-a"])
    }
}

/// Any stable hash will do for the store (it compares, never computes); the real one is
/// Fetching's BodyHash, which Storage does not see.
enum BodyHashStandIn {
    static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }
}

/// Events a watch reported, with a way to wait (up to a deadline) until they satisfy a test.
final class EventRecorder: @unchecked Sendable {
    // Invariant: `events` is read and written only under `lock`.
    private let lock = NSLock()
    private var events: [DocumentWatchEvent] = []

    func record(_ event: DocumentWatchEvent) { lock.withLock { events.append(event) } }
    func clear() { lock.withLock { events.removeAll() } }
    var all: [DocumentWatchEvent] { lock.withLock { events } }

    /// Checks every 20 ms for up to `timeout` seconds (generous: the machine is shared).
    func wait(timeout: TimeInterval = 30, _ condition: ([DocumentWatchEvent]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(all) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return condition(all)
    }
}
