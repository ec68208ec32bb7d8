import Foundation
import Testing
@testable import Fetching
import TestSupport
import TidingsCore

@Suite("Conditional GET")
struct ConditionalGetTests {
    static let etag = #"W/"5f1-a9c""#
    static let lastModified = "Sat, 28 Nov 2026 09:15:00 GMT"

    /// A server that answers 304 when the request carries its current validators.
    static func validatingServer() throws -> LoopbackServer {
        try LoopbackServer { request in
            if request.headers["if-none-match"] == etag || request.headers["if-modified-since"] == lastModified {
                return LoopbackResponse(status: 304, headers: [("ETag", etag)])
            }
            return LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("ETag", etag),
                                                          ("Last-Modified", lastModified)],
                                    body: Data("<p>news</p>".utf8))
        }
    }

    @Test("a 304 answer to the page's own validators gives notModified")
    func notModifiedRoundTrip() async throws {
        let server = try Self.validatingServer()
        let fetcher = loopbackFetcher()
        let first = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url("/news"))))
        let second = try await fetcher.fetch(FetchRequest(revisiting: first))
        guard case .notModified(let url) = second else { Issue.record("expected notModified, got \(second)"); return }
        #expect(url == server.url("/news"))
        #expect(server.requestCount("/news") == 2)
    }

    @Test("the ETag and Last-Modified are kept verbatim and sent back as they came")
    func validatorsStoredAndResent() async throws {
        let server = try Self.validatingServer()
        let fetcher = loopbackFetcher()
        let page = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url("/news"))))
        #expect(page.etag == Self.etag)
        #expect(page.lastModified == Self.lastModified)
        #expect(server.requests[0].headers["if-none-match"] == nil)

        _ = try await fetcher.fetch(FetchRequest(url: page.url, etag: page.etag, lastModified: page.lastModified))
        let resent = server.requests[1]
        #expect(resent.headers["if-none-match"] == Self.etag)
        #expect(resent.headers["if-modified-since"] == Self.lastModified)
    }

    @Test("without validators, an unchanged body is skipped by its hash and a changed one is not")
    func bodyHashSkip() async throws {
        let server = try LoopbackServer { _ in .text("<p>same story</p>") }
        let fetcher = loopbackFetcher()
        let first = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url("/list"))))
        let hash = try #require(first.bodyHash)
        #expect(hash.hasPrefix("tidings64:"))

        let again = try await fetcher.fetch(FetchRequest(url: server.url("/list"), previousBodyHash: hash))
        guard case .notModified = again else { Issue.record("expected notModified, got \(again)"); return }

        server.setHandler { _ in .text("<p>a new story</p>") }
        let changed = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url("/list"), previousBodyHash: hash)))
        #expect(changed.text == "<p>a new story</p>")
        #expect(changed.bodyHash != hash)
    }
}
