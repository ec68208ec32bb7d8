import Foundation
import Testing
@testable import Fetching
import TidingsCore

@Suite("HTTP/2 and TLS")
struct HTTP2Tests {
    static let pageNumbers = 1...8
    static let files = Dictionary(uniqueKeysWithValues: pageNumbers.map { ("page\($0).html", "<p>page \($0)</p>\n") })

    @Test("requests to one host at once share one HTTP/2 connection when the server offers h2")
    func multiplexing() async throws {
        let server = try HTTP2TestServer(files: Self.files)
        defer { server.stop() }
        let fetcher = loopbackFetcher {
            $0.perHostConcurrency = Self.pageNumbers.count
            $0.caFile = server.certificate.path
        }
        let urls = Self.pageNumbers.map { server.url("/page\($0).html") }
        let pages = try await withThrowingTaskGroup(of: Page?.self) { group in
            for url in urls {
                group.addTask { try await fetchPage(fetcher, FetchRequest(url: url)) }
            }
            return try await group.reduce(into: [Page]()) { pages, page in if let page { pages.append(page) } }
        }
        #expect(pages.count == Self.pageNumbers.count)
        #expect(pages.allSatisfy { $0.httpVersion == "2" })
        #expect(Set(pages.map(\.text)) == Set(Self.files.values))
        #expect(pages.map(\.connectionsOpened).reduce(0, +) == 1)
    }

    @Test("a certificate no trusted authority signed is a TLS error naming the URL")
    func untrustedCertificate() async throws {
        let server = try HTTP2TestServer(files: Self.files)
        defer { server.stop() }
        let url = server.url("/page1.html")
        let error = await fetchError(loopbackFetcher(), FetchRequest(url: url))
        guard case .tls(let named, _)? = error else { Issue.record("expected a TLS error, got \(String(describing: error))"); return }
        #expect(named == url)
        #expect(error?.description.hasPrefix(url.absoluteString + ": TLS failed") == true)
    }
}
