import Foundation
import Refresh
import Storage
import TestSupport
import Testing
import TidingsCore
@testable import Daemon

/// Two nodes on one PostgreSQL (a throwaway cluster, see `ThrowawayPostgres`): whichever
/// refreshed a feed, both serve the same bytes under the same ETag.
@Suite("Several nodes: any node serves any feed", .serialized)
struct SharedFeedsTests {
    static let paths = ["/qingxi.atom", "/qingxi.json", "/qingxi.rss", "/all.atom", "/all.json", "/feeds.opml", "/"]

    func source(_ site: FixtureSite) -> Source {
        Source(id: "qingxi", title: "青溪新闻网", url: site.server.url("/index.html"), language: "zh-CN", timeZone: "Asia/Shanghai")
    }

    @Test("a feed refreshed on node A comes from node B byte for byte with the same ETag, and If-None-Match gives 304 on both")
    func sameBytesSameTags() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let site = try FixtureSite()
        let a = try await SharingNode("node-a", conninfo: conninfo)
        // B's own folder holds an older, different copy: it must not be what B serves.
        let b = try await SharingNode("node-b", conninfo: conninfo, stalePublicFiles: ["qingxi.atom": "<feed>stale</feed>"])
        defer { Task { await a.shutDown(); await b.shutDown() } }
        try await a.refreshAndPublish(source(site))
        let written = try #require(a.localFile("qingxi.atom"))
        #expect(try await eventually { try await b.get("/qingxi.atom").body == written })

        for path in Self.paths {
            let fromA = try await a.get(path), fromB = try await b.get(path)
            #expect(fromA.status == 200 && fromB.status == 200, "\(path)")
            #expect(fromA.body == fromB.body, "\(path): the same bytes from both nodes")
            let tag = try #require(fromA.header("ETag"), "\(path)")
            #expect(fromB.header("ETag") == tag, "\(path)")
            #expect(fromB.header("Last-Modified") == fromA.header("Last-Modified"), "\(path)")
            for node in [a, b] {
                #expect(try await node.get(path, headers: ["If-None-Match": tag]).status == 304, "\(path) on \(node.name)")
            }
            let zipped = try await a.get(path, headers: ["Accept-Encoding": "gzip"])
            let zippedTag = try #require(zipped.header("ETag"))
            #expect(try await b.get(path, headers: ["Accept-Encoding": "gzip"]).header("ETag") == zippedTag, "\(path) gzip")
            for node in [a, b] {
                #expect(try await node.get(path, headers: ["Accept-Encoding": "gzip", "If-None-Match": zippedTag]).status == 304)
            }
        }
        #expect(b.localFile("qingxi.atom") == Data("<feed>stale</feed>".utf8),
                "publish_files = \"refreshing\": B's folder is left alone")
        let served = b.root.appendingPathComponent("served-by-b.atom")
        try await b.get("/qingxi.atom").body.write(to: served)
        let check = try ExternalProcess.run(FixtureSite.checkFeed.path, [served.path])
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("a refresh on node A is served by node B as soon as B hears the NOTIFY; publish_files = \"every\" copies it into B's folder")
    func notifyBringsNewVersions() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let site = try FixtureSite()
        let a = try await SharingNode("node-a", conninfo: conninfo)
        // No polling worth the name: only a notification can tell B within the test.
        let b = try await SharingNode("node-b", conninfo: conninfo, publishFiles: .every)
        defer { Task { await a.shutDown(); await b.shutDown() } }
        #expect(await eventually { b.sharing.isListening })
        try await a.refreshAndPublish(source(site))
        let first = try #require(a.localFile("qingxi.atom"))
        #expect(try await eventually { try await b.get("/qingxi.atom").body == first })
        let oldTag = try #require(try await b.get("/qingxi.atom").header("ETag"))

        site.publishExtraArticle()
        try await a.refreshAndPublish(source(site))
        let second = try #require(a.localFile("qingxi.atom"))
        #expect(second != first)
        #expect(String(decoding: second, as: UTF8.self).contains("content_1047"))
        #expect(try await eventually { try await b.get("/qingxi.atom").body == second })
        let fromB = try await b.get("/qingxi.atom", headers: ["If-None-Match": oldTag])
        #expect(fromB.status == 200, "the reader's old copy is stale on B too")
        #expect(fromB.header("ETag") == (try await a.get("/qingxi.atom")).header("ETag"))
        #expect(try await eventually { b.localFile("qingxi.atom") == second }, "B's own folder gets the file")
        #expect(try await eventually { b.localFile("all.atom") == a.localFile("all.atom") })
        #expect(b.sharing.isListening)
    }

    @Test("with the LISTEN connection down, node B polls the store and still serves node A's refresh")
    func pollingWhenListenIsDown() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let site = try FixtureSite()
        let a = try await SharingNode("node-a", conninfo: conninfo)
        // The LISTEN connection is not opened again within the test: only polling can tell B.
        let b = try await SharingNode("node-b", conninfo: conninfo, pollInterval: 0.2)
        defer { Task { await a.shutDown(); await b.shutDown() } }
        #expect(await eventually { b.sharing.isListening })
        #expect(try ThrowawayPostgres.terminateListeners(in: conninfo) == 2)
        #expect(await eventually { !b.sharing.isListening })

        try await a.refreshAndPublish(source(site))
        let written = try #require(a.localFile("qingxi.atom"))
        #expect(try await eventually { try await b.get("/qingxi.atom").body == written })
        #expect(!b.sharing.isListening, "served by polling, not by a new LISTEN")
        let status = try JSONSerialization.jsonObject(with: try await b.get("/status.json").body) as? [String: Any]
        let sharing = try #require(status?["sharing"] as? [String: Any])
        #expect(sharing["listening"] as? Bool == false)
        #expect(sharing["lastListenError"] is String)
        #expect(sharing["node"] as? String == "node-b")
    }

    @Test("nodes whose feeds/ folders differ are reported by /healthz (still 200) and /status.json of both; the report ends when they agree")
    func catalogsThatDiffer() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let site = try FixtureSite()
        let shared = site.sourceTOML(every: "1h")
        let extra = site.sourceTOML(title: "Extra", every: "2h", host: "localhost")
        let a = try await SharingNode("node-a", conninfo: conninfo, feeds: ["qingxi.toml": shared], catalogInterval: 0.2)
        let b = try await SharingNode("node-b", conninfo: conninfo, feeds: ["qingxi.toml": shared, "extra.toml": extra], catalogInterval: 0.2)
        defer { Task { await a.shutDown(); await b.shutDown() } }
        for node in [a, b] {
            #expect(try await eventually { try await node.get("/healthz").text.contains("catalog differs") }, "\(node.name)")
            let health = try await node.get("/healthz")
            #expect(health.status == 200)
            #expect(health.text.contains("node-a") && health.text.contains("node-b"), "\(health.text)")
            #expect(health.text.contains("1 source)") && health.text.contains("2 sources)"), "\(health.text)")
            let status = try JSONSerialization.jsonObject(with: try await node.get("/status.json").body) as? [String: Any]
            let sharing = try #require(status?["sharing"] as? [String: Any])
            #expect((sharing["catalogProblem"] as? String)?.contains("catalog differs") == true)
            let nodes = try #require((sharing["catalog"] as? [String: Any])?["nodes"] as? [[String: Any]])
            #expect(nodes.compactMap { $0["node"] as? String } == ["node-a", "node-b"])
            #expect(nodes.allSatisfy { $0["agrees"] as? Bool == false }, "two nodes, no majority: both are named")
        }
        try Data(extra.utf8).write(to: a.feedsFolder.appendingPathComponent("extra.toml"))
        for node in [a, b] {
            #expect(try await eventually { try await node.get("/healthz").text == "ok\n" }, "\(node.name)")
        }
    }
}

@Suite("Several nodes: catalog agreement and document names")
struct CatalogAgreementTests {
    func catalog(_ node: String, _ hash: String, _ count: Int = 3) -> NodeCatalog {
        NodeCatalog(node: node, hash: hash, sourceCount: count)
    }

    @Test("nodes that agree raise nothing; one of three that differs is named against the two others")
    func majority() {
        #expect(CatalogAgreement([catalog("a", "x"), catalog("b", "x")]).problem == nil)
        #expect(CatalogAgreement([catalog("a", "x")]).problem == nil)
        #expect(CatalogAgreement([]).problem == nil)
        let agreement = CatalogAgreement([catalog("c", "y", 4), catalog("a", "x"), catalog("b", "x")])
        #expect(agreement.differing.map(\.node) == ["c"])
        #expect(agreement.problem == "catalog differs on node c (feeds/ hash y, 4 sources) from a, b (feeds/ hash x, 3 sources)")
    }

    @Test("with no majority every node is named")
    func noMajority() {
        let agreement = CatalogAgreement([catalog("a", "x"), catalog("b", "y"), catalog("c", "z"), catalog("d", "x"), catalog("e", "y")])
        #expect(agreement.differing.map(\.node) == ["a", "b", "c", "d", "e"])
        #expect(agreement.problem?.hasPrefix("catalog differs between nodes: a (feeds/ hash x") == true)
    }

    @Test("URL paths name documents of the output folder's top level only")
    func documentNames() {
        #expect(SharedFeeds.documentName("/") == "index.html")
        #expect(SharedFeeds.documentName("/qingxi.atom") == "qingxi.atom")
        #expect(SharedFeeds.documentName("/img/x.png") == nil)
        #expect(SharedFeeds.documentName("/.hidden") == nil)
        #expect(SharedFeeds.documentName("/dir/") == nil)
    }
}
