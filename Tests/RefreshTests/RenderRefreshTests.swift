import Foundation
import Refresh
import Rendering
import TestSupport
import Testing
import TidingsCore

/// #16: `render` sources go through headless Chromium; without it they fail with the way to install it.
@Suite("Refresh of render sources", .serialized)
struct RenderRefreshTests {
    static let gazette = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RenderingTests/Fixtures")

    static func file(_ name: String, _ type: String = "text/html; charset=utf-8") -> LoopbackResponse {
        LoopbackResponse(headers: [("Content-Type", type)], body: (try? Data(contentsOf: gazette.appendingPathComponent(name))) ?? Data())
    }

    static let site: [String: LoopbackResponse] = [
        "/gazette/": file("listing.html"),
        "/static/app.js": file("app.js", "text/javascript"),
        "/static/article.js": file("article.js", "text/javascript"),
        "/api/stories.json": file("stories.json", "application/json"),
        "/api/story/ferry-timetable-changes.json": file("story.json", "application/json"),
        "/news/2026/12/01/ferry-timetable-changes.html": file("article.html"),
    ]

    @Test("without Chromium a render source fails saying how to install it, and the other sources refresh as before")
    func chromiumMissing() async throws {
        let harness = try await RefreshHarness(overrides: Self.site,
                                         renderer: RendererConfiguration(executable: "/nonexistent/chromium"))
        var source = Source(id: "gazette", title: "Harbour Gazette", url: harness.server.url("/gazette/"))
        source.render = .listing
        let report = await harness.refresher.refresh(source)
        #expect(report.sourceFailed)
        let issue = try #require(report.issues.first)
        #expect(issue.kind == IssueKind(.render, "chromium_missing"))
        #expect(issue.message.contains("apt-get install chromium"))
        #expect(issue.message.contains(harness.server.url("/gazette/").absoluteString))

        let other = try await harness.refreshAndPublish()
        #expect(!other.sourceFailed)
        #expect(other.newArticles == 4)
    }

    @Test("a render = true source finds the links its listing's scripts insert and stores the article its scripts build",
          .enabled(if: FileManager.default.isExecutableFile(atPath: RendererConfiguration.defaultExecutable),
                   "Chromium is not installed (\(RendererConfiguration.defaultExecutable)): apt-get install chromium"))
    func rendered() async throws {
        let harness = try await RefreshHarness(overrides: Self.site, renderer: RendererConfiguration(budget: 30, isolation: .required))
        defer { Task { await harness.refresher.renderer.shutdown() } }
        var source = Source(id: "gazette", title: "Harbour Gazette", url: harness.server.url("/gazette/"))
        let plain = await harness.refresher.refresh(source)
        #expect(plain.linksFound == 0)
        #expect(plain.issues.contains { $0.message.contains("render = true") })

        source.render = .all
        let report = await harness.refresher.refresh(source)
        #expect(report.linksFound == 6)
        #expect(report.newArticles == 1)  // the other five article pages are 404s on this site
        try await harness.refresher.publish([source])
        let entries = try AtomReader.entries(at: harness.output.appendingPathComponent("gazette.atom"))
        #expect(entries.map(\.title) == ["Ferry timetable changes for the winter season"])
        #expect(entries.first?.content.contains("the first crossing of the day leaves twenty minutes later") == true)
        #expect(try harness.checkFeeds().status == 0)
    }
}
