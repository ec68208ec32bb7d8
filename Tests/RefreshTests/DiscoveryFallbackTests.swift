import Fetching
import Foundation
import Logging
import Refresh
import TestSupport
import Testing
import TidingsCore

/// What a refresh says when a listing gives no links, and sitemaps that come gzipped.
@Suite("Refresh: listings without links and gzipped sitemaps")
struct DiscoveryFallbackTests {
    /// The Harbour Gazette's script-only shell page as the source, with `robots` and `extra`
    /// answering instead of the fixture files.
    struct Shell {
        let server: LoopbackServer
        let refresher: Refresher
        let source: Source

        init(_ overrides: @escaping @Sendable (LoopbackRequest, Int) -> LoopbackResponse?) async throws {
            let box = PortBox()
            server = try LoopbackServer { request in
                if let answer = overrides(request, box.port) { return answer }
                return HarbourSite.handler(port: { box.port }, query: "", edit: "")(request)
            }
            box.port = server.port
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-fallback-\(UUID().uuidString)")
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            refresher = try await Refresher(configuration: RefreshConfiguration(
                feedsDirectory: root.appendingPathComponent("feeds"), outputDirectory: root.appendingPathComponent("public"),
                stateDirectory: root.appendingPathComponent("state"),
                fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0)), logger: logger)
            source = Source(id: "harbour", title: "Harbour Gazette", url: server.url("/shell.html"), language: "en")
        }
    }

    final class PortBox: @unchecked Sendable {
        // @unchecked Sendable: written once before the first request is served.
        var port = 0
    }

    static func sitemap(port: Int) throws -> Data {
        let text = try String(contentsOf: HarbourSite.directory.appendingPathComponent("news-sitemap.xml"), encoding: .utf8)
        return Data(text.replacingOccurrences(of: "http://HOST/", with: "http://127.0.0.1:\(port)/").utf8)
    }

    @Test("a listing without links and a site without robots.txt: the report says no links were found and what was tried, not 'robots unusable'")
    func noLinksIsTheCause() async throws {
        let shell = try await Shell { request, _ in request.path == "/robots.txt" ? .notFound : nil }
        let report = await shell.refresher.refresh(shell.source)
        #expect(report.linksFound == 0)
        #expect(!report.sourceFailed)
        #expect(report.issues.map(\.kind) == [IssueKind(.discovery, "none")], "\(report.issues)")
        let message = try #require(report.issues.first?.message)
        #expect(message.hasPrefix("no article links on"), "\(message)")
        #expect(message.contains("the page's links") && message.contains("robots.txt (none: "), "\(message)")
        #expect(!message.hasPrefix("robots"), "\(message)")
        #expect(report.issues.first?.url == shell.source.url.absoluteString)
    }

    @Test("a gzipped sitemap named in robots.txt gives its links, served as application/gzip, x-gzip or a .gz file",
          arguments: ["application/gzip", "application/x-gzip", "application/octet-stream"])
    func gzippedSitemap(contentType: String) async throws {
        let shell = try await Shell { request, port in
            switch request.path {
            case "/robots.txt":
                return .text("User-agent: *\nSitemap: http://127.0.0.1:\(port)/news-sitemap.xml.gz\n", contentType: "text/plain")
            case "/news-sitemap.xml.gz":
                return LoopbackResponse(headers: [("Content-Type", contentType)], body: GzipFile.stored((try? Self.sitemap(port: port)) ?? Data()))
            default:
                return nil
            }
        }
        let report = await shell.refresher.refresh(shell.source)
        #expect(report.linksFound == 2, "\(report.issues)")
        #expect(report.newArticles == 2)
        #expect(report.issues.isEmpty, "\(report.issues)")
    }

    @Test("a gzipped sitemap that does not decompress is reported as such")
    func brokenGzippedSitemap() async throws {
        let shell = try await Shell { request, port in
            switch request.path {
            case "/robots.txt":
                return .text("Sitemap: http://127.0.0.1:\(port)/news-sitemap.xml.gz\n", contentType: "text/plain")
            case "/news-sitemap.xml.gz":
                return LoopbackResponse(headers: [("Content-Type", "application/gzip")],
                                        body: GzipFile.stored((try? Self.sitemap(port: port)) ?? Data()).prefix(60))
            default:
                return nil
            }
        }
        let report = await shell.refresher.refresh(shell.source)
        #expect(report.linksFound == 0)
        let sitemapIssue = try #require(report.issues.first { $0.kind.stage == .sitemap }, "\(report.issues)")
        #expect(sitemapIssue.message.contains("gzip"), "\(sitemapIssue.message)")
        #expect(report.issues.contains { $0.kind == IssueKind(.discovery, "none") })
    }
}
