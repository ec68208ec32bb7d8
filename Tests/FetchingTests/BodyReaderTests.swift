import Foundation
@testable import Fetching
import TestSupport
import Testing
import TidingsCore

/// The Fetcher parses nothing itself: charset decoding, gzip files and robots.txt go through
/// its `BodyReader`, which a daemon sets to its worker processes.
@Suite("Fetcher: fetched bytes are read by its body reader")
struct BodyReaderTests {
    /// Answers with its own text and rules, so a test sees which reader read the bytes.
    final class StampingReader: BodyReader, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        var calls: [String] { lock.withLock { seen } }

        func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure> {
            lock.withLock { seen.append("body \(url.path) \(body.count)") }
            if url.path.hasSuffix("/broken") { return .failure(.unreadable("extractor crashed on \(url.absoluteString)")) }
            return .success(DecodedBody(text: "stamped", charset: "X-STAMP", reason: "the stamping reader", byteCount: 7))
        }

        func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure> {
            lock.withLock { seen.append("robots \(url.path) \(productToken)") }
            if String(decoding: body, as: UTF8.self).contains("crash") { return .failure(.unreadable("extractor crashed on \(url.absoluteString)")) }
            return .success(RobotsRules(entries: [(allows: false, pattern: Array("/stamped/".utf8))]))
        }
    }

    static func server() throws -> LoopbackServer {
        try LoopbackServer { request in
            switch request.path {
            case "/robots.txt": return .text("User-agent: *\nAllow: /\n", contentType: "text/plain")
            default: return .text("<p>the real page</p>")
            }
        }
    }

    @Test("the page's text, charset and size are the reader's answer")
    func decodedByTheReader() async throws {
        let server = try Self.server()
        let reader = StampingReader()
        let fetcher = Fetcher(configuration: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0, obeysRobots: false), bodyReader: reader)
        let page = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url("/a"))))
        #expect(page.text == "stamped" && page.charset == "X-STAMP" && page.charsetReason == "the stamping reader" && page.byteCount == 7)
        #expect(reader.calls == ["body /a 20"])
    }

    @Test("a request that keeps the body undecoded gets the bytes and no text; the reader is not asked")
    func undecodedBody() async throws {
        let server = try Self.server()
        let reader = StampingReader()
        let fetcher = Fetcher(configuration: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0, obeysRobots: false), bodyReader: reader)
        var request = FetchRequest(url: server.url("/a"))
        request.decodesBody = false
        let page = try #require(try await fetchPage(fetcher, request))
        #expect(page.undecodedBody == Array("<p>the real page</p>".utf8) && page.text.isEmpty && page.byteCount == 20)
        #expect(reader.calls.isEmpty)
    }

    @Test("a body its reader cannot read is an error naming the URL; the fetcher goes on")
    func unreadableBody() async throws {
        let server = try Self.server()
        let fetcher = Fetcher(configuration: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0, obeysRobots: false), bodyReader: StampingReader())
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/broken")))
        guard case .invalidResponse(let url, let cause)? = error else { Issue.record("expected invalidResponse, got \(String(describing: error))"); return }
        #expect(url == server.url("/broken") && cause.contains("extractor crashed"))
        #expect(try await fetchPage(fetcher, FetchRequest(url: server.url("/a")))?.text == "stamped")
    }

    @Test("robots.txt rules are the reader's, and a robots.txt it cannot read counts as unreachable")
    func robotsByTheReader() async throws {
        let server = try Self.server()
        let reader = StampingReader()
        let fetcher = Fetcher(configuration: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0), bodyReader: reader)
        // The served robots.txt allows everything; the reader's rules refuse /stamped/.
        #expect(await fetchError(fetcher, FetchRequest(url: server.url("/stamped/page"))) == .robotsDisallowed(server.url("/stamped/page")))
        #expect(reader.calls.first == "robots /robots.txt \(fetcher.configuration.productToken)")

        let crashing = try LoopbackServer { request in
            request.path == "/robots.txt" ? .text("User-agent: *\nDisallow: /crash\n", contentType: "text/plain") : .text("<p>x</p>")
        }
        let error = await fetchError(fetcher, FetchRequest(url: crashing.url("/page")))
        guard case .robotsUnreachable(let url, let cause)? = error else { Issue.record("expected robotsUnreachable, got \(String(describing: error))"); return }
        #expect(url == crashing.url("/page") && cause.contains("could not be read") && cause.contains("extractor crashed"))
    }
}
