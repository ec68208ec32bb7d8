import Foundation
import Testing
@testable import Daemon

@Suite("Feed server: files")
struct FeedServerFileTests {
    @Test("an .atom file is served as application/atom+xml with validators and a max-age of half its source's interval")
    func atomFileHeaders() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let response = try await fixture.get("/alpha.atom")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/atom+xml")
        #expect(response.header("ETag")?.hasPrefix("\"") == true)
        #expect(response.header("Last-Modified")?.hasSuffix(" GMT") == true)
        #expect(response.header("Cache-Control") == "public, max-age=900")
        let expected = try Data(contentsOf: fixture.folder.appendingPathComponent("public/alpha.atom"))
        #expect(response.body == expected)
    }

    @Test("a matching If-None-Match gets 304 with no body (RFC 9110 §13.1.2)")
    func ifNoneMatchGives304() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let first = try await fixture.get("/alpha.atom")
        let etag = try #require(first.header("ETag"))
        let again = try await fixture.get("/alpha.atom", headers: ["If-None-Match": etag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.header("ETag") == etag)
        let weak = try await fixture.get("/alpha.atom", headers: ["If-None-Match": "\"other\", W/\(etag)"])
        #expect(weak.status == 304, "weak comparison, list of tags")
        let stale = try await fixture.get("/alpha.atom", headers: ["If-None-Match": "\"stale\""])
        #expect(stale.status == 200)
    }

    @Test("If-Modified-Since at or after Last-Modified gets 304 (RFC 9110 §13.1.3)")
    func ifModifiedSinceGives304() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let first = try await fixture.get("/alpha.atom")
        let lastModified = try #require(first.header("Last-Modified"))
        #expect(try await fixture.get("/alpha.atom", headers: ["If-Modified-Since": lastModified]).status == 304)
        #expect(try await fixture.get("/alpha.atom", headers: ["If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"]).status == 200)
    }

    @Test("a rewritten file gets a new ETag")
    func rewrittenFileChangesETag() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let before = try await fixture.get("/alpha.json").header("ETag")
        let file = fixture.folder.appendingPathComponent("public/alpha.json")
        try Data("{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"changed\",\"items\":[]}\n".utf8).write(to: file)
        let after = try await fixture.get("/alpha.json")
        #expect(after.header("ETag") != before)
        #expect(after.text.contains("changed"))
    }

    @Test("a JSON Feed is served as application/feed+json and the index as HTML")
    func mediaTypes() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        #expect(try await fixture.get("/alpha.json").header("Content-Type") == "application/feed+json")
        let index = try await fixture.get("/")
        #expect(index.status == 200)
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")
        #expect(index.text.contains("<h1>Feeds</h1>"))
        #expect(index.header("Cache-Control") == "public, max-age=60")
    }

    @Test("a client that accepts gzip gets the feed compressed, and it decompresses to the file")
    func gzip() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let response = try await fixture.get("/alpha.atom", headers: ["Accept-Encoding": "gzip, deflate, br"])
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(response.header("Vary") == "Accept-Encoding")
        let original = try Data(contentsOf: fixture.folder.appendingPathComponent("public/alpha.atom"))
        #expect(response.body.count < original.count)
        #expect(try gunzip(response.body) == String(decoding: original, as: UTF8.self))
        let refused = try await fixture.get("/alpha.atom", headers: ["Accept-Encoding": "gzip;q=0"])
        #expect(refused.header("Content-Encoding") == nil)
        let small = try await fixture.get("/alpha.json", headers: ["Accept-Encoding": "gzip"])
        #expect(small.header("Content-Encoding") == nil, "a file under 1 KiB is not worth compressing")
    }

    @Test("paths that leave the folder, hidden files and missing files are 404")
    func notFound() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        try Data("secret".utf8).write(to: fixture.folder.appendingPathComponent("secret.txt"))
        try Data("hidden".utf8).write(to: fixture.folder.appendingPathComponent("public/.hidden"))
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/.hidden", "/missing.atom"] {
            let response = try await fixture.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(!response.text.contains("secret") && !response.text.contains("hidden"), "\(path)")
        }
    }

    @Test("the server also listens on a unix socket")
    func unixSocket() async throws {
        let fixture = try await ServerFixture(unixSocket: true)
        defer { Task { await fixture.shutDown() } }
        #expect(fixture.endpoint.unixSocket != nil)
        #expect(try await fixture.get("/healthz").status == 200)
        #expect(try await fixture.get("/alpha.atom").header("Content-Type") == "application/atom+xml")
    }
}
