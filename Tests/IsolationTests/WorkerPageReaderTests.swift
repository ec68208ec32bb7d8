import Discovery
import Extraction
import Fetching
import Foundation
@testable import Isolation
import TestSupport
import Testing
import TidingsCore

/// Pages of the bundled sample site, decoded as the Fetcher would.
enum SamplePages {
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("feeds/sample-site")
    static let articlePaths = ["2025/1128/content_1041.html", "2025/1127/content_1038.html", "2025/1126/content_1032.html",
                               "en/2025/11/25/riverside-library-reopens.html"]
    static let source = Source(id: "qingxi", title: "青溪新闻网", url: URL(string: "https://www.qingxi-news.example.cn/index.html")!,
                               language: "zh-CN", timeZone: "Asia/Shanghai")

    static func page(_ path: String, appending extra: String = "") throws -> Page {
        let bytes = try Data(contentsOf: site.appendingPathComponent(path)) + Data(extra.utf8)
        let decoded = CharsetDecoder.decode(bytes, contentType: "text/html")
        let url = URL(string: "https://www.qingxi-news.example.cn/" + path)!
        return Page(requestedURL: url, url: url, contentType: "text/html", text: decoded.text, charset: decoded.charset)
    }
}

@Suite("Pages read in worker processes")
struct WorkerPageReaderTests {
    static func reader(workers: Int = 1, timeLimit: TimeInterval = 30, idleTimeout: TimeInterval = 60,
                       environment: [String: String] = [:]) -> WorkerPageReader {
        WorkerPageReader(configuration: WorkerConfiguration(executable: TidingsBinary.url, workers: workers, timeLimit: timeLimit,
                                                            idleTimeout: idleTimeout, environment: environment))
    }

    static func article(_ result: Result<ArticlePage, PageReadFailure>) -> Article? {
        guard case .success(let page) = result, case .success(let article) = page.article else { return nil }
        return article
    }

    @Test("a worker gives the same articles, links and sitemaps as parsing in this process")
    func sameAsInProcess() async throws {
        let workers = Self.reader()
        let here = InProcessPageReader()
        for path in SamplePages.articlePaths + ["index.html"] {
            let page = try SamplePages.page(path)
            let viaWorker = try await workers.article(on: page, of: SamplePages.source).get()
            let inProcess = try await here.article(on: page, of: SamplePages.source).get()
            #expect(viaWorker.article == inProcess.article, "\(path)")
            #expect(viaWorker.nextPage == inProcess.nextPage)
        }
        let listing = try SamplePages.page("index.html")
        let links = try await workers.links(on: listing, of: SamplePages.source, rules: .init(), limit: 50).get()
        #expect(links == (try await here.links(on: listing, of: SamplePages.source, rules: .init(), limit: 50).get()))
        #expect(links.links.count == 4)
        let robotsURL = URL(string: "https://www.qingxi-news.example.cn/robots.txt")!
        let robots = Page(requestedURL: robotsURL, url: robotsURL, contentType: "text/plain",
                          text: "User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\nSitemap: https://cdn.example.cn/news.xml\n")
        #expect(try await workers.sitemaps(inRobotsTxt: robots, robotsURL: robotsURL).get().map(\.absoluteString)
                == ["https://www.qingxi-news.example.cn/sitemap.xml", "https://cdn.example.cn/news.xml"])
        #expect(workers.counts.started == 1, "one long-lived worker served every page")
    }

    @Test("a worker decodes fetched bytes (GBK, a gzip file), reads robots.txt and a listing's evidence as this process does")
    func bytesAndEvidenceAsInProcess() async throws {
        let workers = Self.reader()
        let here = InProcessPageReader()
        let url = URL(string: "https://www.qingxi-news.example.cn/index.html")!
        let gbk = [UInt8](try Data(contentsOf: SamplePages.site.appendingPathComponent("index.html")))
        let sitemap = Data("<?xml version=\"1.0\"?><urlset><url><loc>https://news.example/a</loc></url></urlset>".utf8)
        let gzipURL = URL(string: "https://www.qingxi-news.example.cn/sitemap.xml.gz")!
        for (bytes, type, at) in [(gbk, "text/html", url), ([UInt8](GzipFile.stored(sitemap)), "application/gzip", gzipURL)] {
            let viaWorker = await workers.decodedBody(bytes, contentType: type, url: at, limit: 1 << 20)
            #expect(viaWorker == (await here.decodedBody(bytes, contentType: type, url: at, limit: 1 << 20)), "\(at)")
        }
        guard case .success(let inflated) = await workers.decodedBody([UInt8](GzipFile.stored(sitemap)), contentType: "application/gzip",
                                                                      url: gzipURL, limit: 1 << 20) else { Issue.record("no text"); return }
        #expect(inflated.text == String(decoding: sitemap, as: UTF8.self))
        #expect(await workers.decodedBody([UInt8](GzipFile.stored(sitemap)), contentType: "application/gzip", url: gzipURL, limit: 10)
                == .failure(.tooLarge))
        let robots = Array("User-agent: tidings\nDisallow: /private/\nAllow: /private/open$\n\nUser-agent: *\nDisallow: /\n".utf8)
        let rules = try await workers.robotsRules(robots, productToken: "tidings", url: url).get()
        #expect(rules == (try await here.robotsRules(robots, productToken: "tidings", url: url).get()))
        #expect(!rules.allows("/private/x") && rules.allows("/private/open") && rules.allows("/news/"))
        let shell = Page(requestedURL: url, url: url, contentType: "text/html",
                         text: "<html><head><script>\(String(repeating: "x();", count: 400))</script></head><body><div id=app></div></body></html>")
        for page in [shell, try SamplePages.page("index.html")] {
            let evidence = try await workers.evidence(on: page, of: SamplePages.source).get()
            #expect(evidence == (try await here.evidence(on: page, of: SamplePages.source).get()))
        }
        #expect(try await workers.evidence(on: shell, of: SamplePages.source).get().signs?.looksScriptBuilt == true)
        // An article page handed over undecoded (as a refresh does) reads as the decoded page does.
        let path = SamplePages.articlePaths[0]
        var undecoded = try SamplePages.page(path)
        undecoded.text = ""
        undecoded.contentType = nil
        undecoded.undecodedBody = [UInt8](try Data(contentsOf: SamplePages.site.appendingPathComponent(path)))
        let fromBytes = try await workers.article(on: undecoded, of: SamplePages.source).get()
        #expect(fromBytes.article == (try await here.article(on: try SamplePages.page(path), of: SamplePages.source).get().article))
        #expect(try fromBytes.article.get().title.isEmpty == false)
        #expect(workers.counts.started == 1)
    }

    @Test("fetched bytes that make the worker trap while decoding fail alone as unreadable, naming the URL")
    func trapWhileDecoding() async throws {
        let marker = "tidings-test-trap-bytes-\(UUID().uuidString)"
        let reader = Self.reader(environment: ["TIDINGS_WORKER_TEST_TRAP_BYTES": marker])
        let url = URL(string: "https://www.qingxi-news.example.cn/trap.html")!
        guard case .failure(.unreadable(let cause)) = await reader.decodedBody(Array("<p>\(marker)</p>".utf8), contentType: "text/html",
                                                                              url: url, limit: 1 << 20) else {
            Issue.record("the trapping bytes gave an answer")
            return
        }
        #expect(cause.contains("extractor crashed on \(url.absoluteString)"), "\(cause)")
        #expect(try await reader.decodedBody(Array("<p>fine</p>".utf8), contentType: "text/html", url: url, limit: 1 << 20).get().text == "<p>fine</p>")
        #expect(reader.counts.crashed == 1 && reader.counts.restarted == 1)
    }

    @Test("a page that makes its worker trap fails alone as 'extractor crashed'; the next page goes to a fresh worker")
    func trapFailsOnePage() async throws {
        let marker = "tidings-test-trap-\(UUID().uuidString)"
        let reader = Self.reader(environment: ["TIDINGS_WORKER_TEST_TRAP": marker])
        let before = try SamplePages.page(SamplePages.articlePaths[0])
        #expect(Self.article(await reader.article(on: before, of: SamplePages.source)) != nil)
        let trapping = try SamplePages.page(SamplePages.articlePaths[1], appending: "<!-- \(marker) -->")
        guard case .failure(let failure) = await reader.article(on: trapping, of: SamplePages.source) else {
            Issue.record("the trapping page gave an answer")
            return
        }
        #expect(failure.kind == .crashed)
        #expect(failure.description.contains("extractor crashed on https://www.qingxi-news.example.cn/2025/1127/content_1038.html"),
                "\(failure)")
        #expect(failure.detail.contains("signal"), "\(failure.detail)")
        let after = try SamplePages.page(SamplePages.articlePaths[2])
        #expect(Self.article(await reader.article(on: after, of: SamplePages.source))?.title == "冬季供暖首周全市热线受理群众诉求一千二百余件")
        // Discovery runs there too, and a trap in it is the same kind of failure.
        let listing = try SamplePages.page("index.html", appending: "<!-- \(marker) -->")
        guard case .failure(let discoveryFailure) = await reader.links(on: listing, of: SamplePages.source, rules: .init(), limit: 50) else {
            Issue.record("the trapping listing gave links")
            return
        }
        #expect(discoveryFailure.kind == .crashed)
        let counts = reader.counts
        #expect(counts.crashed == 2)
        #expect(counts.restarted == 1, "\(counts)")
        #expect(counts.started == 2)
    }

    @Test("a page that hangs its worker fails as 'timed out' at the time limit; the next page works")
    func hangHitsTimeLimit() async throws {
        let marker = "tidings-test-hang-\(UUID().uuidString)"
        let reader = Self.reader(timeLimit: 2, environment: ["TIDINGS_WORKER_TEST_HANG": marker])
        let hanging = try SamplePages.page(SamplePages.articlePaths[0], appending: "<!-- \(marker) -->")
        let start = Date()
        guard case .failure(let failure) = await reader.article(on: hanging, of: SamplePages.source) else {
            Issue.record("the hanging page gave an answer")
            return
        }
        #expect(failure.kind == .timedOut)
        #expect(failure.description.contains("extractor timed out on https://www.qingxi-news.example.cn/2025/1128/content_1041.html"))
        #expect(Date().timeIntervalSince(start) >= 2)
        let next = try SamplePages.page(SamplePages.articlePaths[3])
        #expect(Self.article(await reader.article(on: next, of: SamplePages.source))?.title == "Riverside Library Reopens After Two-Year Renovation")
        #expect(reader.counts.timedOut == 1)
    }

    @Test("many pages at once share the pool's workers, each answer for its own page")
    func concurrentPages() async throws {
        let reader = Self.reader(workers: 2)
        let pages = try (0..<12).map { try SamplePages.page(SamplePages.articlePaths[$0 % 4]) }
        let titles = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, page) in pages.enumerated() {
                group.addTask { (index, Self.article(await reader.article(on: page, of: SamplePages.source))?.title) }
            }
            var titles = [String?](repeating: nil, count: pages.count)
            for await (index, title) in group { titles[index] = title }
            return titles
        }
        let expected = try await SamplePages.articlePaths.asyncMap { path in
            Self.article(await InProcessPageReader().article(on: try SamplePages.page(path), of: SamplePages.source))?.title
        }
        #expect(titles == (0..<12).map { expected[$0 % 4] })
        #expect(reader.counts.started <= 2)
    }

    @Test("a worker killed while idle is replaced without failing the next page")
    func killedWhileIdle() async throws {
        let reader = Self.reader()
        #expect(Self.article(await reader.article(on: try SamplePages.page(SamplePages.articlePaths[0]), of: SamplePages.source)) != nil)
        let idle = reader.idleWorkerIDs
        #expect(idle.count == 1)
        for pid in idle { kill(pid, SIGKILL) }
        try await waitUntil(timeout: 10) { idle.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) } }
        #expect(Self.article(await reader.article(on: try SamplePages.page(SamplePages.articlePaths[1]), of: SamplePages.source)) != nil)
        #expect(reader.counts.crashed == 0)
        #expect(reader.counts.started == 2)
    }

    @Test("idle workers end after the idle timeout, and a later page starts a new one")
    func idleWorkersEnd() async throws {
        let reader = Self.reader(idleTimeout: 0.5)
        #expect(Self.article(await reader.article(on: try SamplePages.page(SamplePages.articlePaths[0]), of: SamplePages.source)) != nil)
        let idle = reader.idleWorkerIDs
        #expect(idle.count == 1)
        try await waitUntil(timeout: 20) { reader.idleWorkerIDs.isEmpty }
        try await waitUntil(timeout: 20) { idle.allSatisfy { kill($0, 0) != 0 } }
        #expect(Self.article(await reader.article(on: try SamplePages.page(SamplePages.articlePaths[1]), of: SamplePages.source)) != nil)
        #expect(reader.counts.started == 2)
    }

    @Test("no executable to start is a clear failure, not a crash")
    func missingExecutable() async throws {
        let reader = WorkerPageReader(configuration: WorkerConfiguration(executable: URL(fileURLWithPath: "/nonexistent/tidings")))
        guard case .failure(let failure) = await reader.article(on: try SamplePages.page(SamplePages.articlePaths[0]), of: SamplePages.source) else {
            Issue.record("a page was read without a worker")
            return
        }
        #expect(failure.kind == .unavailable)
        #expect(failure.description.contains("/nonexistent/tidings"), "\(failure)")
    }

    /// The process has died and waits to be reaped: state Z in /proc/PID/stat (read with
    /// read(2): /proc files report a size of 0), and no thread left but the leader (the leader
    /// shows Z while its other threads still exit, holding its descriptors open).
    static func isZombie(_ pid: pid_t) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"), threads.count <= 1 else {
            return false
        }
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0, let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return false }
        return buffer[close + 2] == UInt8(ascii: "Z")
    }
}

func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        guard Date() < deadline else {
            Issue.record("condition not met within \(timeout) s")
            return
        }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
