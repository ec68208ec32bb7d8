import Foundation
import TestSupport
import Testing

/// #16: `--render` shows a script-built page the way a `render = true` source gets it.
@Suite("fetch, discover and extract --render", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/lib/chromium/chromium"),
                "Chromium is not installed (/usr/lib/chromium/chromium): apt-get install chromium"))
struct RenderCommandsTests {
    static let fixtures = CommandFolder.repository.appendingPathComponent("Tests/RenderingTests/Fixtures")

    /// The renderer tests' script-built site: a listing whose links a script fetches, an article a script builds.
    static func gazette() throws -> LoopbackServer {
        func file(_ name: String, _ type: String) -> LoopbackResponse {
            LoopbackResponse(headers: [("Content-Type", type)], body: (try? Data(contentsOf: fixtures.appendingPathComponent(name))) ?? Data())
        }
        let files: [String: LoopbackResponse] = [
            "/latest": file("listing.html", "text/html; charset=utf-8"),
            "/static/app.js": file("app.js", "text/javascript"),
            "/static/article.js": file("article.js", "text/javascript"),
            "/api/stories.json": file("stories.json", "application/json"),
            "/api/story/ferry-timetable-changes.json": file("story.json", "application/json"),
            "/news/2026/12/01/ferry-timetable-changes.html": file("article.html", "text/html; charset=utf-8"),
        ]
        return try LoopbackServer { files[$0.path] ?? .notFound }
    }

    @Test("discover finds no links on the shell and suggests render = true; with --render it finds every link")
    func discover() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let site = try Self.gazette()
        defer { site.stop() }
        let plain = try folder.tidings(["discover", "--allow-private-networks", site.url("/latest").absoluteString])
        #expect(plain.output.contains("render = true"), "\(plain.output)")
        let rendered = try folder.tidings(["discover", "--render", "--allow-private-networks", site.url("/latest").absoluteString])
        #expect(rendered.status == 0, "\(rendered.output)")
        #expect(rendered.output.contains("6 article links"), "\(rendered.output)")
        #expect(rendered.output.contains("rendered in"), "\(rendered.output)")
    }

    @Test("extract --render extracts the body a script builds; fetch --render lists the page's requests and prints its HTML")
    func extractAndFetch() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let site = try Self.gazette()
        defer { site.stop() }
        let article = site.url("/news/2026/12/01/ferry-timetable-changes.html").absoluteString
        let extracted = try folder.tidings(["extract", "--render", "--allow-private-networks", article])
        #expect(extracted.status == 0, "\(extracted.output)")
        #expect(extracted.output.contains("the first crossing of the day leaves twenty minutes later"), "\(extracted.output)")
        let fetched = try folder.tidings(["fetch", "--render", "--allow-private-networks", "--host-gap", "0", article])
        #expect(fetched.status == 0, "\(fetched.output)")
        #expect(fetched.output.contains("requests, 2 answered"), "\(fetched.output)")
        #expect(fetched.output.contains("browser memory:"), "\(fetched.output)")
        #expect(fetched.output.contains("<p>Season tickets bought for the autumn"), "\(fetched.output)")
    }
}
