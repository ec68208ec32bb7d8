import Discovery
import Extraction
import Foundation
@testable import Fetching
@testable import Rendering
import TestSupport
import TidingsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Rendering pages built by JavaScript", .enabled(if: chromiumInstalled, chromiumMissingNote), .serialized)
struct RendererTests {
    /// One browser for the tests that need no fresh one: each cold start costs seconds of CPU
    /// on a machine the whole suite shares.
    static let shared = isolatedRenderer()
    @Test("a listing whose links are inserted by fetch() gives no links fetched, every link rendered")
    func scriptBuiltListing() async throws {
        let server = try LoopbackServer(handler: gazetteHandler())
        defer { server.stop() }
        let fetcher = testFetcher()
        let discoverer = LinkDiscoverer()

        guard case .page(let shell) = try await fetcher.fetch(FetchRequest(url: server.url("/latest"))) else {
            Issue.record("the listing was not fetched"); return
        }
        #expect(discoverer.discover(page: shell, limit: 50).links.isEmpty)

        let renderer = Self.shared
        let rendered = try await renderer.render(FetchRequest(url: server.url("/latest")), using: fetcher)
        guard case .page(let page) = rendered.outcome else { Issue.record("no page"); return }
        let links = discoverer.discover(page: page, limit: 50).links.map(\.url.path)
        #expect(!rendered.budgetExpired)
        #expect(links.count == 6)
        #expect(links.contains("/news/2026/12/01/ferry-timetable-changes.html"))
        #expect(links.contains("/news/2026/11/29/new-pier-lights.html"))
        #expect(server.requestCount("/api/stories.json") == 1)
        #expect(page.url == server.url("/latest"))
    }

    @Test("an article whose body is inserted by script is extracted from the rendered page")
    func scriptBuiltArticle() async throws {
        let server = try LoopbackServer(handler: gazetteHandler())
        defer { server.stop() }
        let fetcher = testFetcher()
        let url = server.url("/news/2026/12/01/ferry-timetable-changes.html")
        guard case .page(let shell) = try await fetcher.fetch(FetchRequest(url: url)) else { return }
        if case .success(let article) = Extractor().extract(html: shell.text, url: shell.url) {
            #expect(!article.text.contains("first crossing of the day"))
        }

        let renderer = Self.shared
        let rendered = try await renderer.render(FetchRequest(url: url), using: fetcher)
        guard case .page(let page) = rendered.outcome else { Issue.record("no page"); return }
        let article = try Extractor().extract(html: page.text, url: page.url).get()
        #expect(article.title == "Ferry timetable changes for the winter season")
        #expect(article.text.contains("the first crossing of the day leaves twenty minutes later"))
        #expect(article.text.contains("the first time in four years that they have stayed the same"))
    }

    @Test("img, iframe, fetch(), WebSocket and WebRTC aimed at a forbidden address reach nothing; the page still renders")
    func forbiddenSubrequests() async throws {
        let tripwire = try Tripwire()
        defer { tripwire.stop() }
        let page = fixture("forbidden.html").replacingOccurrences(of: "FORBIDDEN", with: tripwire.hostPort)
            .replacingOccurrences(of: "STUNADDRESS", with: tripwire.hostPort)
        let server = try LoopbackServer { _ in .text(page) }
        defer { server.stop() }
        let renderer = Self.shared

        let rendered = try await renderer.render(FetchRequest(url: server.url("/page")), using: testFetcher())
        #expect(rendered.html.contains("Rendered despite the refusals"))
        let refused = Dictionary(rendered.refusals.map { ($0.url, $0.error) }, uniquingKeysWith: { first, _ in first })
        for path in ["/pixel.gif", "/frame.html", "/api/secret"] {
            let error = refused["http://\(tripwire.hostPort)\(path)"]
            #expect(error?.kind == "blocked_address", "\(path): \(String(describing: error))")
            #expect(error?.description.contains("denied by a test rule") == true)
        }
        let socket = rendered.requests.first { $0.resourceType == "WebSocket" }
        #expect(socket?.url == "ws://\(tripwire.hostPort)/socket")
        // WebRTC never reaches the Fetch domain: Chromium's own attempt must die at the backstop.
        #expect(await !eventually(1) { tripwire.count > 0 })
        #expect(tripwire.count == 0)
        #expect(server.requests.map(\.path) == ["/page"])
    }

    @Test("the per-host gap spaces the page's sub-requests, and robots.txt refuses them as it refuses pages")
    func politenessOfSubrequests() async throws {
        let arrivals = ArrivalLog()
        let page = """
        <!DOCTYPE html><html><head><script src="/a.js"></script><script src="/b.js"></script></head>
        <body><p id="x">shell</p><script>fetch('/private/data.json').catch(function(){}); document.getElementById('x').textContent='done';</script></body></html>
        """
        let server = try LoopbackServer { request in
            arrivals.note(request.path)
            switch request.path {
            case "/robots.txt": return .text("User-agent: *\nDisallow: /private/\n", contentType: "text/plain")
            case "/a.js", "/b.js": return .text("var loaded = true;", contentType: "text/javascript")
            case "/private/data.json": return .text("{}", contentType: "application/json")
            default: return .text(page)
            }
        }
        defer { server.stop() }
        let gap: TimeInterval = 0.3
        let renderer = Self.shared

        let rendered = try await renderer.render(FetchRequest(url: server.url("/page")),
                                                 using: testFetcher(hostGap: gap, obeysRobots: true))
        #expect(rendered.html.contains("done"))
        #expect(server.requestCount("/private/data.json") == 0)
        #expect(server.requestCount("/robots.txt") == 1)
        #expect(rendered.refusals.contains { $0.url.hasSuffix("/private/data.json") && $0.error.kind == "robots" })
        let starts = arrivals.times(excluding: "/robots.txt")
        #expect(starts.count == 3)  // the page and its two scripts
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            #expect(later.timeIntervalSince(earlier) >= gap * 0.9)
        }
    }

    @Test("Chromium killed mid-render fails that page with a clear error; the next page renders in a new browser")
    func browserKilledMidRender() async throws {
        let server = try LoopbackServer(handler: gazetteHandler(extra: [
            "/slow": .text("<!DOCTYPE html><html><body><script src=\"/slow.js\"></script></body></html>"),
            "/slow.js": LoopbackResponse(status: 200, headers: [("Content-Type", "text/javascript")], body: Data("1;".utf8), delay: 5),
        ]))
        defer { server.stop() }
        let fetcher = testFetcher()
        let renderer = isolatedRenderer()
        defer { Task { await renderer.shutdown() } }

        let first = Task { try await renderer.render(FetchRequest(url: server.url("/slow")), using: fetcher) }
        #expect(await eventually { server.requestCount("/slow.js") == 1 })
        let pid = try #require(await renderer.browserProcessID)
        kill(pid, SIGKILL)
        let failure = await first.result
        guard case .failure(let error as RenderError) = failure else { Issue.record("the page did not fail: \(failure)"); return }
        guard case .browserFailed = error else { Issue.record("wrong error: \(error)"); return }
        #expect(error.description.contains("killed by signal 9"))
        #expect(error.description.contains(server.url("/slow").absoluteString))

        let next = try await renderer.render(FetchRequest(url: server.url("/latest")), using: fetcher)
        #expect(next.startedBrowser)
        #expect(next.html.contains("Ferry timetable changes for the winter season"))
        #expect(await renderer.browserProcessID != pid)
    }

    // MARK: - limits

    @Test("no more than render_concurrency pages render at once; the others wait their turn")
    func concurrencyLimit() async throws {
        let page = "<!DOCTYPE html><html><body><p id=\"x\">shell</p><script src=\"/slow.js\"></script></body></html>"
        let server = try LoopbackServer { request in
            request.path == "/slow.js"
                ? LoopbackResponse(status: 200, headers: [("Content-Type", "text/javascript")],
                                   body: Data("document.getElementById('x').textContent = 'done';".utf8), delay: 0.5)
                : .text(page)
        }
        defer { server.stop() }
        let renderer = Renderer(configuration: RendererConfiguration(concurrency: 2, budget: 30, commandTimeout: 30, isolation: .required))
        defer { Task { await renderer.shutdown() } }
        let fetcher = testFetcher()
        let pages = try await withThrowingTaskGroup(of: RenderedPage.self) { group in
            for n in 0..<4 {
                group.addTask { try await renderer.render(FetchRequest(url: server.url("/page\(n)")), using: fetcher) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(pages.count == 4)
        #expect(pages.allSatisfy { $0.html.contains("done") })
        #expect(await renderer.peakActive == 2)
        #expect(pages.filter(\.startedBrowser).count == 1, "one browser serves every page")
    }

    @Test("past the memory ceiling the browser is restarted between pages; an idle browser is stopped")
    func memoryCeilingAndIdleStop() async throws {
        let server = try LoopbackServer(handler: gazetteHandler())
        defer { server.stop() }
        let fetcher = testFetcher()
        let greedy = Renderer(configuration: RendererConfiguration(budget: 30, memoryCeilingBytes: 1, isolation: .required))
        let first = try await greedy.render(FetchRequest(url: server.url("/latest")), using: fetcher)
        #expect(first.startedBrowser)
        #expect(await greedy.browserProcessID == nil, "a browser over its ceiling is not kept")
        let second = try await greedy.render(FetchRequest(url: server.url("/latest")), using: fetcher)
        #expect(second.startedBrowser)
        await greedy.shutdown()

        let idle = Renderer(configuration: RendererConfiguration(budget: 30, idleStop: 0.2, isolation: .required))
        _ = try await idle.render(FetchRequest(url: server.url("/latest")), using: fetcher)
        let pid = try #require(await idle.browserProcessID)
        var stopped = false
        for _ in 0..<200 where !stopped {
            try await Task.sleep(nanoseconds: 50_000_000)
            stopped = await idle.browserProcessID == nil && kill(pid, 0) != 0
        }
        #expect(stopped, "the idle browser was stopped and its process is gone")
    }

    // MARK: - under MemoryDenyWriteExecute

    @Test("outside systemd this process may map writable and executable memory, so the JIT stays on by default")
    func probe() {
        #expect(!ChromiumCommandLine.deniesWriteExecute)
    }

    /// A wrapper that turns on the kernel's memory-deny-write-execute (prctl PR_SET_MDWE, what
    /// systemd's MemoryDenyWriteExecute=yes amounts to) and then runs Chromium.
    static func wrapper(restriction: String = mdwe) throws -> String {
        let path = NSTemporaryDirectory() + "/tidings-restricted-\(UUID().uuidString)"
        let script = """
            #!/usr/bin/python3
            import ctypes, os, struct, sys
            libc = ctypes.CDLL(None, use_errno=True)
            \(restriction)
            os.execv("\(RendererConfiguration.defaultExecutable)", ["chromium"] + sys.argv[1:])
            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    static let mdwe = #"if libc.prctl(65, 1, 0, 0, 0) != 0: sys.exit("PR_SET_MDWE refused")"#

    /// A seccomp filter that refuses capset(2) with EPERM, as the unit's `~@privileged` does
    /// (x86_64 system call number 126; the filter checks no architecture, the tests run on x86_64).
    static let refuseCapset = #"""
        code = [(0x20, 0, 0, 0), (0x15, 0, 1, 126), (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)]
        program = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in code))
        fprog = struct.pack("HxxxxxxQ", len(code), ctypes.addressof(program))
        if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.c_char_p(fprog), 0, 0) != 0: sys.exit("seccomp refused")
        """#

    @Test("without its sandbox Chromium renders where capset(2) is refused, as under the unit's system-call filter (no zygote)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for the seccomp wrapper"))
    func capsetRefused() async throws {
        let server = try LoopbackServer(handler: gazetteHandler())
        defer { server.stop() }
        let wrapper = try Self.wrapper(restriction: Self.refuseCapset)
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let renderer = Renderer(configuration: RendererConfiguration(executable: wrapper, budget: 30, isolation: .required,
                                                                     usesSandbox: false))
        defer { Task { await renderer.shutdown() } }
        let rendered = try await renderer.render(FetchRequest(url: server.url("/latest")), using: testFetcher())
        #expect(rendered.html.contains("Ferry timetable changes for the winter season"))
    }

    @Test("with --js-flags=--jitless Chromium renders script-built pages where write-and-execute memory is refused",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for the prctl wrapper"))
    func jitlessUnderMDWE() async throws {
        let server = try LoopbackServer(handler: gazetteHandler())
        defer { server.stop() }
        let wrapper = try Self.wrapper()
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        let renderer = Renderer(configuration: RendererConfiguration(executable: wrapper, budget: 30, isolation: .required, jitless: true))
        defer { Task { await renderer.shutdown() } }
        let rendered = try await renderer.render(FetchRequest(url: server.url("/latest")), using: testFetcher())
        #expect(rendered.html.contains("Ferry timetable changes for the winter season"))
    }
}

@Suite("Rendering without Chromium")
struct MissingChromiumTests {
    @Test("without Chromium a render fails with an error that says how to install it")
    func chromiumMissing() async throws {
        let renderer = Renderer(configuration: RendererConfiguration(executable: "/nonexistent/chromium"))
        do {
            _ = try await renderer.render(FetchRequest(url: URL(string: "http://127.0.0.1:9/")!), using: testFetcher())
            Issue.record("rendered without a browser")
        } catch {
            #expect(error.kind == "chromium_missing")
            #expect(error.description.contains("apt-get install chromium"))
        }
    }
}

/// When each path was asked for, in order.
final class ArrivalLog: @unchecked Sendable {
    // @unchecked Sendable: `entries` is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [(String, Date)] = []
    func note(_ path: String) { lock.withLock { entries.append((path, Date())) } }
    func times(excluding path: String) -> [Date] { lock.withLock { entries.filter { $0.0 != path }.map(\.1) } }
}

