import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

@Suite("Feed server: what it refuses to serve, and the headers that keep browsers safe")
struct FeedServerSafetyTests {
    @Test("a symbolic link that resolves outside the output folder is 404; one that stays inside is served")
    func symlinksOutAreRefused() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let publicFolder = fixture.folder.appendingPathComponent("public")
        let outside = fixture.folder.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("root:x:0:0:secret\n".utf8).write(to: outside.appendingPathComponent("passwd"))
        try FileManager.default.createSymbolicLink(atPath: publicFolder.appendingPathComponent("pw.txt").path,
                                                   withDestinationPath: outside.appendingPathComponent("passwd").path)
        try FileManager.default.createSymbolicLink(atPath: publicFolder.appendingPathComponent("etc").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: publicFolder.appendingPathComponent("system.txt").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: publicFolder.appendingPathComponent("latest.atom").path, withDestinationPath: "alpha.atom")
        for path in ["/pw.txt", "/etc/passwd", "/system.txt"] {
            let response = try await fixture.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(!response.text.contains("root:"), "\(path)")
        }
        let inside = try await fixture.get("/latest.atom")
        #expect(inside.status == 200)
        #expect(inside.body == (try Data(contentsOf: publicFolder.appendingPathComponent("alpha.atom"))))
    }

    @Test("every answer carries X-Content-Type-Options: nosniff", arguments: [
        ("GET", "/alpha.atom"), ("GET", "/"), ("GET", "/missing.atom"), ("GET", "/healthz"), ("GET", "/status.json"),
        ("GET", "/metrics"), ("GET", "/refresh"), ("POST", "/refresh/alpha"), ("PUT", "/alpha.atom"), ("HEAD", "/alpha.json"),
    ])
    func noSniffEverywhere(method: String, path: String) async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let response = try await RawHTTPClient.send(method, path, to: fixture.target)
        #expect(response.header("X-Content-Type-Options") == "nosniff", "\(method) \(path) → \(response.status)")
    }

    @Test("HTML pages get a strict Content-Security-Policy; feeds do not need one")
    func contentSecurityPolicyOnHTML() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        try Data("<!doctype html><p>about</p>".utf8).write(to: fixture.folder.appendingPathComponent("public/about.html"))
        for path in ["/", "/index.html", "/about.html"] {
            let policy = try #require(try await fixture.get(path).header("Content-Security-Policy"), "\(path)")
            #expect(policy.contains("default-src 'none'") && !policy.contains("script-src") && policy.contains("frame-ancestors 'none'"))
        }
        #expect(try await fixture.get("/alpha.atom").header("Content-Security-Policy") == nil)
    }

    @Test("the ETag is a hash of the bytes sent: gzip and plain differ, equal bytes agree, a rewrite with the same bytes keeps it")
    func contentHashETags() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let publicFolder = fixture.folder.appendingPathComponent("public")
        let plain = try #require(try await fixture.get("/alpha.atom").header("ETag"))
        let gzipped = try await fixture.get("/alpha.atom", headers: ["Accept-Encoding": "gzip"])
        #expect(gzipped.header("Content-Encoding") == "gzip")
        let gzipTag = try #require(gzipped.header("ETag"))
        #expect(gzipTag != plain, "two representations, two strong ETags")
        #expect(try await fixture.get("/alpha.atom", headers: ["Accept-Encoding": "gzip", "If-None-Match": gzipTag]).status == 304)
        #expect(try await fixture.get("/alpha.atom", headers: ["If-None-Match": gzipTag]).status == 200,
                "the gzip tag does not validate the plain body")

        // Another server (or a republish) with the same bytes gives the same tag.
        let bytes = try Data(contentsOf: publicFolder.appendingPathComponent("alpha.atom"))
        try bytes.write(to: publicFolder.appendingPathComponent("copy.atom"))
        #expect(try await fixture.get("/copy.atom").header("ETag") == plain)
        try FileManager.default.removeItem(at: publicFolder.appendingPathComponent("alpha.atom"))
        try bytes.write(to: publicFolder.appendingPathComponent("alpha.atom"))
        #expect(try await fixture.get("/alpha.atom", headers: ["If-None-Match": plain]).status == 304)
        try (bytes + Data("<!-- changed -->".utf8)).write(to: publicFolder.appendingPathComponent("alpha.atom"))
        #expect(try await fixture.get("/alpha.atom").header("ETag") != plain)
    }

    @Test("a file rewritten in place with other bytes of the same size and the same modification time gets another ETag (a size+mtime tag would not)")
    func sameSizeSameTimeOtherBytes() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let file = fixture.folder.appendingPathComponent("public/edited.atom")
        let moment = Date(timeIntervalSince1970: 1_750_000_000)
        try Data("<feed>first version</feed>".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: moment], ofItemAtPath: file.path)
        let first = try await fixture.get("/edited.atom")
        let tag = try #require(first.header("ETag"))
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data("<feed>other version</feed>".utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: moment], ofItemAtPath: file.path)
        let second = try await fixture.get("/edited.atom", headers: ["If-None-Match": tag])
        #expect(second.status == 200, "the reader's copy is stale")
        #expect(second.text == "<feed>other version</feed>")
        #expect(second.header("ETag") != tag)
        #expect(second.header("Last-Modified") == first.header("Last-Modified"))
    }

    @Test("byte ranges: 206 with Content-Range, suffix ranges, 416 past the end, If-Range, and no gzip for a range")
    func ranges() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let bytes = try Data(contentsOf: fixture.folder.appendingPathComponent("public/alpha.atom"))
        let whole = try await fixture.get("/alpha.atom")
        #expect(whole.header("Accept-Ranges") == "bytes")
        let etag = try #require(whole.header("ETag"))

        let first = try await fixture.get("/alpha.atom", headers: ["Range": "bytes=0-9"])
        #expect(first.status == 206)
        #expect(first.body == bytes.prefix(10))
        #expect(first.header("Content-Range") == "bytes 0-9/\(bytes.count)")
        let last = try await fixture.get("/alpha.atom", headers: ["Range": "bytes=-5", "Accept-Encoding": "gzip"])
        #expect(last.status == 206 && last.body == bytes.suffix(5) && last.header("Content-Encoding") == nil)
        let rest = try await fixture.get("/alpha.atom", headers: ["Range": "bytes=\(bytes.count - 3)-"])
        #expect(rest.body == bytes.suffix(3))
        let beyond = try await fixture.get("/alpha.atom", headers: ["Range": "bytes=\(bytes.count)-"])
        #expect(beyond.status == 416)
        #expect(beyond.header("Content-Range") == "bytes */\(bytes.count)")
        #expect(try await fixture.get("/alpha.atom", headers: ["Range": "bytes=0-9", "If-Range": etag]).status == 206)
        let stale = try await fixture.get("/alpha.atom", headers: ["Range": "bytes=0-9", "If-Range": "\"old\""])
        #expect(stale.status == 200 && stale.body == bytes, "a stale copy gets the whole file")
        #expect(try await fixture.get("/alpha.atom", headers: ["Range": "bytes=0-1,5-6"]).status == 200, "several ranges: whole file")
        #expect(try await fixture.get("/alpha.atom", headers: ["Range": "lines=1-2"]).status == 200)
    }

    @Test("files are read on NIO's thread pool, not on Swift's cooperative threads")
    func readsOffTheCooperativePool() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(String(repeating: "<entry/>", count: 500).utf8).write(to: folder.appendingPathComponent("a.atom"))
        let threads = Locked([String]())
        let files = StaticFiles(root: folder, onRead: {
            // The kernel's name of the current thread (NIO names its pool's threads "SGLTN-TP-#n").
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
            threads.withLock { $0.append(name.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }) { _ in nil }
        let reply = await files.reply(StaticFiles.Request(path: "/a.atom", acceptEncoding: "gzip"))
        #expect(reply.status == 200)
        #expect(threads.current.count == 1)
        #expect(threads.current.allSatisfy { $0.contains("TP-#") }, "NIO names its pool's threads [SGLTN-]TP-#n: \(threads.current)")
    }

    @Test("an output folder reached through a symbolic link and made after the server started is served (systemd's DynamicUser cache folder)")
    func folderBehindLinkMadeLater() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-linked-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base.appendingPathComponent("private/tidings"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("tidings").path, withDestinationPath: "private/tidings")
        let files = StaticFiles(root: base.appendingPathComponent("tidings/public")) { _ in nil }
        #expect(await files.reply(StaticFiles.Request(path: "/all.atom")).status == 404, "nothing published yet")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("private/tidings/public"), withIntermediateDirectories: true)
        try Data("<feed/>".utf8).write(to: base.appendingPathComponent("tidings/public/all.atom"))
        let reply = await files.reply(StaticFiles.Request(path: "/all.atom"))
        #expect(reply.status == 200)
        #expect(reply.body == Data("<feed/>".utf8))
    }

    @Test("a file that cannot be opened for want of descriptors is 503, never 404")
    func outOfDescriptorsIs503() {
        for code in [EMFILE, ENFILE, ENOMEM] {
            #expect(OutputFolder.failure(errno: code) == .busy)
        }
        #expect(OutputFolder.failure(errno: ENOENT) == .notFound)
        let reply = StaticFiles.reply(for: .busy)
        #expect(reply.status == 503)
        #expect(reply.headers.contains { $0 == ("Retry-After", "1") })
    }

    @Test("Range header values are read as RFC 9110 §14.1.2 says", arguments: [
        ("bytes=0-9", ByteRange?.some(.from(0, to: 9))), ("bytes=5-", .from(5, to: nil)), ("bytes=-7", .suffix(7)),
        ("bytes=9-3", nil), ("bytes=a-b", nil), ("bytes=0-1,4-5", nil), ("items=0-9", nil), ("bytes=", nil), ("bytes=-", nil),
    ])
    func rangeParsing(header: String, expected: ByteRange?) {
        #expect(ByteRange(header: header) == expected)
    }
}
