import Foundation
import Refresh
import TestSupport
import Testing
import TidingsCore

@Suite("Refresh, end to end over loopback HTTP")
struct EndToEndRefreshTests {
    static let articles = [
        ("/2025/1128/content_1041.html", "青溪市老城区雨污分流改造工程全面完工", "2025-11-28T09:30:00+08:00",
         "记者11月27日从青溪市住房和城乡建设局获悉"),
        ("/2025/1127/content_1038.html", "青溪职业技术学院新增三个智能制造专业方向", "2025-11-27T16:05:00+08:00",
         "据了解，明年起学院还将面向在职职工开设周末班和夜校班"),
        ("/2025/1126/content_1032.html", "冬季供暖首周全市热线受理群众诉求一千二百余件", "2025-11-26T18:20:00+08:00",
         "供暖首周，青溪市12345政务服务便民热线共受理供暖类诉求一千二百余件"),
        ("/en/2025/11/25/riverside-library-reopens.html", "Riverside Library Reopens After Two-Year Renovation",
         "2025-11-25T14:00:00+00:00", "The Riverside branch of the Qingxi City Library reopened its doors"),
    ]

    @Test("a refresh turns the fixture site into a valid feed of its articles, without sidebar teasers")
    func firstRefresh() async throws {
        let harness = try await RefreshHarness()
        let report = try await harness.refreshAndPublish()
        #expect(report.isClean, "\(report.issues)")
        #expect(report.newArticles == 4)
        // The listing and the four articles, served as stored (no compression), counted in bytes.
        let pages = ["/index.html"] + Self.articles.map(\.0)
        let sizes = try pages.map { try Data(contentsOf: RefreshHarness.site.appendingPathComponent(String($0.dropFirst()))).count }
        #expect(report.pagesFetched == pages.count)
        #expect(report.bytesFetched == sizes.reduce(0, +))
        let entries = try harness.entries()
        #expect(Set(entries.map(\.title)) == Set(Self.articles.map(\.1)))
        for (path, title, published, sentence) in Self.articles {
            let entry = try #require(entries.first { $0.title == title })
            #expect(entry.link == harness.server.url(path).absoluteString)
            #expect(Timestamp(rfc3339: entry.published) == Timestamp(rfc3339: published), "published of \(path): \(entry.published)")
            #expect(entry.id.hasPrefix("tag:127.0.0.1,"))
            #expect(entry.content.contains(sentence), "body of \(path)")
            #expect(!entry.content.contains("今日热搜"), "sidebar teaser kept in \(path)")
        }
        // The GBK-only character 镕 survives decoding (a gb2312 reading would truncate).
        #expect(entries.contains { $0.content.contains("镕") || $0.content.contains("堃") })
        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("a second refresh fetches only the new article and keeps every entry and id")
    func secondRefresh() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        let before = try harness.entries()
        harness.publishExtraArticle()
        harness.server.resetCounts()
        let report = try await harness.refreshAndPublish()
        #expect(report.newArticles == 1)
        #expect(harness.server.requestCount("/2025/1129/content_1047.html") == 1)
        for (path, _, _, _) in Self.articles {
            #expect(harness.server.requestCount(path) == 0, "\(path) fetched again")
        }
        let after = try harness.entries()
        #expect(after.count == before.count + 1)
        #expect(after.contains { $0.title == "青溪至南岭城际公交线路十二月起开通运营" })
        for old in before {
            #expect(after.contains { $0.id == old.id && $0.title == old.title }, "lost or changed \(old.id)")
        }
        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("a page that fails with 500 and one of garbage bytes do not stop the run; errors name source, URL and cause")
    func partialFailure() async throws {
        let garbage = Data((0..<6000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        let harness = try await RefreshHarness(overrides: [
            "/2025/1127/content_1038.html": .text("boom", status: 500, contentType: "text/plain"),
            "/2025/1126/content_1032.html": LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: garbage),
        ])
        let report = try await harness.refreshAndPublish()
        #expect(!report.sourceFailed)
        #expect(report.newArticles == 2)
        let broken = report.issues.first { $0.url?.hasSuffix("/2025/1127/content_1038.html") == true }
        #expect(broken?.description.contains("[qingxi]") == true)
        #expect(broken?.description.contains("HTTP status 500") == true)
        let garbled = report.issues.first { $0.url?.hasSuffix("/2025/1126/content_1032.html") == true }
        #expect(garbled?.kind.stage == .extract, "\(report.issues)")
        #expect(broken?.kind == IssueKind(.fetch, "http_status"))
        #expect(RunSummary(reports: [report], catalogErrors: 0).exitStatus == 1)
        #expect(try harness.entries().count == 2)
        // Nothing lost: once the pages recover, the next refresh adds them.
        harness.server.setHandler(LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [:]))
        let retry = try await harness.refreshAndPublish()
        #expect(retry.newArticles == 2)
        #expect(try harness.entries().count == 4)
    }

    @Test("a listing page that cannot be fetched fails the source but keeps the feed it had")
    func sourceDown() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        harness.server.setHandler { _ in .text("down", status: 503, contentType: "text/plain") }
        let report = try await harness.refreshAndPublish()
        #expect(report.sourceFailed)
        #expect(RunSummary(reports: [report], catalogErrors: 0).exitStatus == 2)
        #expect(try harness.entries().count == 4)
        #expect(harness.refresher.health(of: "qingxi").consecutiveFailures == 1)
        // The typed kind travels with the failure to the health the status and the index show.
        #expect(report.issues.first?.kind == IssueKind(.fetch, "http_status"))
        #expect(harness.refresher.health(of: "qingxi").lastErrorKind == IssueKind(.fetch, "http_status"))
        let index = try String(contentsOf: harness.output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("data-kind=\"fetch.http_status\""), "the index names the kind")
    }
}
