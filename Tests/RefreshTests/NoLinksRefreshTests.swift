import Foundation
import Refresh
import TestSupport
import Testing
import TidingsCore

/// #12: a listing that yields no article links says what was tried (page links, feed,
/// sitemaps) and what to do, in the same words as `tidings discover`.
@Suite("Refresh of a listing with no article links")
struct NoLinksRefreshTests {
    static let shell = """
        <!DOCTYPE html><html><head><title>App</title><script src="/bundle.js"></script>
        <script>\(String(repeating: "window.__STATE__.push({});", count: 300))</script></head>
        <body><div id="app"></div><noscript>Please enable JavaScript to read the news.</noscript></body></html>
        """

    @Test("a script-built listing is reported as such, with render = true as the advice")
    func scriptBuilt() async throws {
        let harness = try await RefreshHarness(overrides: [
            "/app/": LoopbackResponse(headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(Self.shell.utf8)),
        ])
        let source = Source(id: "app", title: "App news", url: harness.server.url("/app/"))
        let report = await harness.refresher.refresh(source)
        #expect(report.linksFound == 0)
        let issue = try #require(report.issues.first { $0.kind == IssueKind(.discovery, "none") }, "\(report.issues)")
        #expect(issue.message.hasPrefix("no article links on \(harness.server.url("/app/").absoluteString): tried "))
        #expect(issue.message.contains("a feed (the page advertises none)"))
        #expect(issue.message.contains("render = true"))
    }
}
