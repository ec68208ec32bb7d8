import Discovery
import Fetching
import Foundation
import Isolation
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

    @Test("the diagnosis reads the listing through the reader (a worker in the daemon), never by parsing it in the refresh")
    func evidenceFromTheReader() async throws {
        let reader = EvidenceStampingReader()
        let harness = try await RefreshHarness(overrides: [
            "/app/": LoopbackResponse(headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(Self.shell.utf8)),
        ], pages: reader)
        let report = await harness.refresher.refresh(Source(id: "app", title: "App news", url: harness.server.url("/app/")))
        let issue = try #require(report.issues.first { $0.kind == IssueKind(.discovery, "none") }, "\(report.issues)")
        // The group and the signs are the reader's: a parse in the refresh would find neither.
        #expect(issue.message.contains("best 0.42: div#from-the-reader > a"), "\(issue.message)")
        #expect(issue.message.contains("(17 characters of text, 99999 of script)"), "\(issue.message)")
        #expect(reader.evidencePages == [harness.server.url("/app/")])
    }
}

/// Reads pages in this process, except the listing evidence, which it makes up: what the
/// diagnosis says then shows where its evidence came from.
final class EvidenceStampingReader: PageReader, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [URL] = []
    private let inProcess = InProcessPageReader()

    var evidencePages: [URL] { lock.withLock { asked } }

    func article(on page: Page, of source: Source) async -> Result<ArticlePage, PageReadFailure> {
        await inProcess.article(on: page, of: source)
    }

    func links(on page: Page, of source: Source, rules: DiscoverRules, limit: Int) async -> Result<DiscoveryResult, PageReadFailure> {
        await inProcess.links(on: page, of: source, rules: rules, limit: limit)
    }

    func sitemaps(inRobotsTxt page: Page, robotsURL: URL) async -> Result<[URL], PageReadFailure> {
        await inProcess.sitemaps(inRobotsTxt: page, robotsURL: robotsURL)
    }

    func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure> {
        await inProcess.decodedBody(body, contentType: contentType, url: url, limit: limit)
    }

    func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure> {
        await inProcess.robotsRules(body, productToken: productToken, url: url)
    }

    func evidence(on listing: Page, of source: Source) async -> Result<DiscoveryDiagnosis.ListingEvidence, PageReadFailure> {
        lock.withLock { asked.append(listing.url) }
        let group = LinkGroupExplanation(path: "div#from-the-reader > a", links: 3, sample: ["a"],
                                         parts: .init(text: 0.1, url: 0.1, structure: 0.2, furniture: 0.02), score: 0.42, kept: false,
                                         reason: "stamped")
        return .success(.init(signs: .init(visibleCharacters: 17, scriptCharacters: 99999, hasNoscriptNotice: false), groups: [group]))
    }
}
