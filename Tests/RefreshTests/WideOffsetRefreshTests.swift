import Foundation
import Refresh
import TestSupport
import Testing
import TidingsCore

/// #11: `<updated>2024-01-01T00:00:00+19:00</updated>` in a site's feed stopped `refresh` and
/// `run` with SIGILL. The refresh now goes on and stores the feed's articles.
@Suite("Refresh of a feed whose dates carry offsets no zone has")
struct WideOffsetRefreshTests {
    static let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>青溪新闻网</title><id>urn:x-qingxi</id><updated>2024-01-01T00:00:00+19:00</updated>
          <entry><title>青溪市老城区雨污分流改造工程全面完工</title><id>urn:x-1041</id>
            <link href="/2025/1128/content_1041.html"/><updated>2024-01-01T00:00:00+19:00</updated></entry>
          <entry><title>青溪职业技术学院新增三个智能制造专业方向</title><id>urn:x-1038</id>
            <link href="/2025/1127/content_1038.html"/><published>2023-12-30T18:00:00-23:59</published></entry>
        </feed>
        """

    @Test("a refresh reads the feed, stores both articles and writes a valid feed")
    func refresh() async throws {
        let harness = try await RefreshHarness(overrides: [
            "/feed.atom": LoopbackResponse(headers: [("Content-Type", "application/atom+xml")], body: Data(Self.feed.utf8)),
        ])
        let source = Source(id: "qingxi", title: "青溪新闻网", url: harness.server.url("/feed.atom"), language: "zh-CN",
                            timeZone: "Asia/Shanghai")
        let report = await harness.refresher.refresh(source)
        #expect(report.linksFound == 2)
        #expect(report.newArticles == 2, "\(report.issues)")
        try await harness.refresher.publish([source])
        #expect(try harness.entries().count == 2)
        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }
}
