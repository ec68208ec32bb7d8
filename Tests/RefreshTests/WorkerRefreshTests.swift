import Foundation
import Isolation
import Refresh
import TestSupport
import Testing
import TidingsCore

/// A refresh whose pages are parsed in worker processes (as `tidings refresh` and `run` do),
/// with the workers' test hooks standing in for a parser bug that traps or hangs.
@Suite("Refresh through worker processes")
struct WorkerRefreshTests {
    static let trapped = "/2025/1127/content_1038.html"

    static func marked(_ path: String, _ marker: String) throws -> LoopbackResponse {
        // The page's own bytes (GBK) with an ASCII comment appended: still the same page.
        let bytes = try Data(contentsOf: RefreshHarness.site.appendingPathComponent(String(path.dropFirst())))
        return LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: bytes + Data("<!-- \(marker) -->".utf8))
    }

    static func workers(timeLimit: TimeInterval = 30, _ environment: [String: String]) -> WorkerPageReader {
        WorkerPageReader(configuration: WorkerConfiguration(executable: TidingsBinary.url, workers: 2, timeLimit: timeLimit,
                                                            environment: environment))
    }

    @Test("an article whose worker traps fails alone with source, URL and 'extractor crashed'; the other three are stored")
    func trappingArticle() async throws {
        let marker = "tidings-test-trap-\(UUID().uuidString)"
        let reader = Self.workers(["TIDINGS_WORKER_TEST_TRAP": marker])
        let harness = try await RefreshHarness(overrides: [Self.trapped: try Self.marked(Self.trapped, marker)], pages: reader)
        let report = try await harness.refreshAndPublish()
        #expect(!report.sourceFailed)
        #expect(report.newArticles == 3)
        let issue = try #require(report.issues.first { $0.url?.hasSuffix(Self.trapped) == true }, "\(report.issues)")
        #expect(issue.kind == IssueKind(.extract, "crashed"))
        #expect(issue.description.contains("[qingxi]"), "\(issue)")
        #expect(issue.description.contains("extractor crashed on \(harness.server.url(Self.trapped).absoluteString)"), "\(issue)")
        #expect(try harness.entries().count == 3)
        #expect(reader.counts.crashed == 1)
        #expect(try harness.checkFeeds().status == 0)
        // Once the page stops trapping, the next refresh adds it: nothing was lost.
        harness.server.setHandler(LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [:]))
        #expect(try await harness.refreshAndPublish().newArticles == 1)
        #expect(try harness.entries().count == 4)
    }

    @Test("an article that hangs its worker fails as 'timed out' and the run goes on")
    func hangingArticle() async throws {
        let marker = "tidings-test-hang-\(UUID().uuidString)"
        let reader = Self.workers(timeLimit: 2, ["TIDINGS_WORKER_TEST_HANG": marker])
        let harness = try await RefreshHarness(overrides: [Self.trapped: try Self.marked(Self.trapped, marker)], pages: reader)
        let report = try await harness.refreshAndPublish()
        #expect(report.newArticles == 3, "\(report.issues)")
        let issue = try #require(report.issues.first { $0.url?.hasSuffix(Self.trapped) == true }, "\(report.issues)")
        #expect(issue.kind == IssueKind(.extract, "timed_out"))
        #expect(issue.description.contains("extractor timed out on"), "\(issue)")
        #expect(reader.counts.timedOut == 1)
    }

    @Test("a listing whose bytes make the worker trap while decoding fails the run, named; the feed it had stays")
    func trappingWhileDecoding() async throws {
        let marker = "tidings-test-trap-bytes-\(UUID().uuidString)"
        let reader = Self.workers(["TIDINGS_WORKER_TEST_TRAP_BYTES": marker])
        let harness = try await RefreshHarness(pages: reader)
        #expect(try await harness.refreshAndPublish().newArticles == 4)
        harness.server.setHandler(LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: ["/index.html": try Self.marked("/index.html", marker)]))
        let report = try await harness.refreshAndPublish()
        let issue = try #require(report.issues.first, "\(report.issues)")
        #expect(issue.kind == IssueKind(.fetch, "invalid_response"))
        #expect(issue.message.contains("extractor crashed on \(harness.server.url("/index.html").absoluteString)"), "\(issue)")
        #expect(report.sourceFailed && reader.counts.crashed == 1)
        #expect(try harness.entries().count == 4)
    }

    @Test("an article page's bytes go to the worker undecoded and are decoded and extracted there in one trip")
    func articleDecodedInTheWorker() async throws {
        let marker = "tidings-test-trap-bytes-\(UUID().uuidString)"
        let reader = Self.workers(["TIDINGS_WORKER_TEST_TRAP_BYTES": marker])
        let harness = try await RefreshHarness(overrides: [Self.trapped: try Self.marked(Self.trapped, marker)], pages: reader)
        let report = try await harness.refreshAndPublish()
        #expect(report.newArticles == 3, "\(report.issues)")
        let issue = try #require(report.issues.first { $0.url?.hasSuffix(Self.trapped) == true }, "\(report.issues)")
        #expect(issue.kind == IssueKind(.extract, "crashed"))
        #expect(issue.message.contains("extractor crashed on \(harness.server.url(Self.trapped).absoluteString)"), "\(issue)")
        // The other articles are GBK pages: decoded in the worker, their Chinese text is intact.
        let titles = Set(EndToEndRefreshTests.articles.map(\.1))
        let entries = try harness.entries()
        #expect(entries.count == 3 && entries.allSatisfy { titles.contains($0.title) }, "\(entries.map(\.title))")
        #expect(reader.counts.crashed == 1)
    }

    @Test("a listing whose worker traps fails the run's discovery with a named issue; the feed it had stays")
    func trappingListing() async throws {
        let marker = "tidings-test-trap-\(UUID().uuidString)"
        let reader = Self.workers(["TIDINGS_WORKER_TEST_TRAP": marker])
        let harness = try await RefreshHarness(pages: reader)
        #expect(try await harness.refreshAndPublish().newArticles == 4)
        harness.server.setHandler(LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: ["/index.html": try Self.marked("/index.html", marker)]))
        let report = try await harness.refreshAndPublish()
        let issue = try #require(report.issues.first { $0.kind == IssueKind(.discovery, "crashed") }, "\(report.issues)")
        #expect(issue.description.contains("extractor crashed on \(harness.server.url("/index.html").absoluteString)"), "\(issue)")
        #expect(try harness.entries().count == 4)
        // The crash is the cause given; the listing is not handed to a second worker for a diagnosis.
        #expect(!report.issues.contains { $0.kind == IssueKind(.discovery, "none") }, "\(report.issues)")
        #expect(reader.counts.crashed == 1)
    }

    @Test("a script-built listing read by workers gets the no-links diagnosis from the worker's evidence")
    func diagnosisAcrossTheWire() async throws {
        let shell = NoLinksRefreshTests.shell
        let harness = try await RefreshHarness(overrides: [
            "/app/": LoopbackResponse(headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(shell.utf8)),
        ], pages: Self.workers([:]))
        let report = await harness.refresher.refresh(Source(id: "app", title: "App news", url: harness.server.url("/app/")))
        let issue = try #require(report.issues.first { $0.kind == IssueKind(.discovery, "none") }, "\(report.issues)")
        #expect(issue.message.contains("The page looks built by script"), "\(issue.message)")
        #expect(issue.message.contains("a <noscript> notice"), "\(issue.message)")
    }
}
