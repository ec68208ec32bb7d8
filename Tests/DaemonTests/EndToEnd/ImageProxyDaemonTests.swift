import Foundation
import TestSupport
import Testing
@testable import Daemon

/// Issue #18 through `tidings run`: a source with `images = "proxy"` behind hotlink
/// protection, a loopback WebSub hub, and the daemon's own HTTP server.
@Suite("tidings run: image proxy and WebSub", .serialized)
struct ImageProxyDaemonTests {
    static let base = "http://feeds.example/"
    static let photoPath = "/images/2025/1128/ysfl01.gif"

    @Test("the daemon serves a hotlink-protected image under /img/ and tells the hub about the feeds it wrote")
    func proxyAndHub() async throws {
        let site = try FixtureSite()
        let origin = site.server.baseURL.absoluteString
        let files = LoopbackServer.fileHandler(directory: FixtureSite.site, overrides: [:])
        site.server.setHandler { request in
            if request.path.hasPrefix("/images/"), request.headers["referer"]?.hasPrefix(origin) != true {
                return .text("<h1>403 Forbidden</h1>", status: 403)
            }
            return files(request)
        }
        let hub = try LoopbackServer { _ in LoopbackResponse(status: 204) }
        defer { hub.stop() }
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        daemon.settingsText = "base_url = \"\(Self.base)\"\nimages = \"proxy\"\nhub = \"\(hub.url("/hub").absoluteString)\"\n"
        // 2 s: a new source's first run is spread over its first interval.
        try daemon.writeSource("qingxi", site.sourceTOML(every: "2s"))
        try await daemon.start()
        do {
            try await waitUntil(timeout: 90, "the first articles are in the feed") {
                try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles
            }
        } catch {
            Issue.record("\(error); daemon log:\n\(daemon.logText)")
            throw error
        }

        let atom = try String(contentsOf: daemon.output.appendingPathComponent("qingxi.atom"), encoding: .utf8)
        #expect(atom.contains("<link rel=\"hub\" href=\"\(hub.url("/hub").absoluteString)\"/>"))
        #expect(!atom.contains(site.server.url(Self.photoPath).absoluteString))
        let prefix = Self.base + "img/"
        let start = try #require(atom.range(of: prefix))
        let path = "/img/" + atom[start.upperBound...].prefix { $0 != "&" && $0 != "\"" && $0 != "<" }
        let image = try await daemon.get(path)
        #expect(image.status == 200, "\(image.text)\n\(daemon.logText)")
        let gif = try Data(contentsOf: FixtureSite.site.appendingPathComponent(String(Self.photoPath.dropFirst())))
        let logo = try Data(contentsOf: FixtureSite.site.appendingPathComponent("images/logo.gif"))
        #expect(image.body == gif || image.body == logo)
        #expect(image.header("Content-Type") == "image/gif")
        #expect(image.header("Cache-Control")?.contains("max-age") == true)
        let etag = try #require(image.header("ETag"))
        #expect(try await daemon.get(path, headers: ["If-None-Match": etag]).status == 304)
        let altered = path.replacingOccurrences(of: "/img/A", with: "/img/B").replacingOccurrences(of: "/img/", with: "/img/x")
        #expect(try await daemon.get(altered).status == 404)

        try await waitUntil(timeout: 30, "the hub hears of the feeds written") {
            let topics = Set(hub.requests.map { String(decoding: $0.body, as: UTF8.self) })
            return topics.contains("hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Fqingxi.atom")
                && topics.contains("hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Fall.atom")
        }
        #expect(hub.requests.allSatisfy { $0.method == "POST" && $0.path == "/hub" })
        #expect(try await daemon.terminate().status == 0)
        let check = try ExternalProcess.run(FixtureSite.checkFeed.path, [daemon.output.appendingPathComponent("qingxi.atom").path,
                                                                         daemon.output.appendingPathComponent("all.atom").path])
        #expect(check.status == 0, "\(check.output)")
    }
}
