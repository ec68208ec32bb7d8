import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("Hostile and broken responses")
struct ResponseLimitTests {
    /// Peak resident set, in bytes, of `tidings ARGUMENTS` run as the only child of a small
    /// Python wrapper: the test process's own peak is shared with every concurrent test, so
    /// only a separate process measures the fetcher alone.
    static func peakResidentBytes(ofTidings arguments: [String]) throws -> (bytes: Int, output: String) {
        let wrapper = """
        import resource, subprocess, sys
        run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        print(run.stdout + run.stderr)
        """
        let run = try ExternalProcess.run("python3", ["-c", wrapper, TidingsBinary.url.path] + arguments)
        let lines = run.output.split(separator: "\n", maxSplits: 1)
        let kilobytes = Int(lines.first ?? "") ?? 0
        return (kilobytes * 1024, lines.count > 1 ? String(lines[1]) : "")
    }

    @Test("a gzip bomb (200 MiB of zeros in 200 KB) is stopped at the decoded-body cap with bounded memory")
    func gzipBombStoppedAtCap() async throws {
        let bomb = try fixture("gzip-bomb-200MiB-of-zeros.gz")
        let server = try LoopbackServer { request in
            request.path == "/bomb"
                ? LoopbackResponse(headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: bomb)
                : .text("<p>small</p>")
        }
        let cap = 1 << 20
        let fetcher = loopbackFetcher { $0.maxBodyBytes = cap }
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/bomb")))
        #expect(error == .tooLarge(server.url("/bomb"), limit: cap))

        let small = try Self.peakResidentBytes(ofTidings: ["fetch", "--allow-private-networks", server.url("/small").absoluteString])
        let bombed = try Self.peakResidentBytes(ofTidings: ["fetch", "--allow-private-networks", server.url("/bomb").absoluteString])
        #expect(bombed.output.contains("too_large"), "\(bombed.output)")
        let growth = bombed.bytes - small.bytes
        #expect(small.bytes > 0 && growth < 64 << 20, "peak memory grew by \(growth >> 20) MiB while decoding the bomb")
    }

    @Test("a server that does not answer in time is aborted by the total timeout")
    func silentServerTimesOut() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(body: Data("late".utf8), delay: 5) }
        let fetcher = loopbackFetcher { $0.totalTimeout = 0.3 }
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/slow")))
        #expect(error == .timeout(server.url("/slow")))
    }

    @Test("a body that trickles in below the low-speed limit is aborted")
    func tricklingServerAborted() async throws {
        let server = try LoopbackServer { _ in
            LoopbackResponse(body: Data(repeating: UInt8(ascii: "x"), count: 200), trickle: (chunk: 1, pause: 0.1))
        }
        let fetcher = loopbackFetcher {
            $0.lowSpeedLimit = 1000
            $0.lowSpeedTime = 1
        }
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/trickle")))
        #expect(error == .timeout(server.url("/trickle")))
    }

    @Test("a 10,000-byte header line is read and the page comes through")
    func longHeaderHandled() async throws {
        let padding = String(repeating: "a", count: 10_000)
        let server = try LoopbackServer { _ in
            LoopbackResponse(headers: [("Content-Type", "text/html; charset=utf-8"), ("X-Padding", padding),
                                       ("ETag", "\"after-the-padding\"")],
                             body: Data("<p>ok</p>".utf8))
        }
        let page = try #require(try await fetchPage(loopbackFetcher(), FetchRequest(url: server.url("/long"))))
        #expect(page.text == "<p>ok</p>")
        #expect(page.etag == "\"after-the-padding\"")
    }

    @Test("headers beyond the total header cap end in invalidResponse, not unbounded memory")
    func endlessHeadersRefused() async throws {
        var raw = "HTTP/1.1 200 OK\r\n"
        let line = "X-Filler: " + String(repeating: "b", count: 8000) + "\r\n"
        for _ in 0..<40 { raw += line }
        raw += "Content-Length: 2\r\n\r\nok"
        let bytes = Data(raw.utf8)
        let server = try LoopbackServer { _ in LoopbackResponse(raw: bytes) }
        let error = await fetchError(loopbackFetcher(), FetchRequest(url: server.url("/headers")))
        #expect(error == .invalidResponse(server.url("/headers"), "response headers too large"))
    }

    @Test("a garbage status line is reported as an invalid response naming the URL")
    func garbageStatusLine() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(raw: Data("GARBAGE\r\nnot http at all\r\n\r\n".utf8)) }
        let error = await fetchError(loopbackFetcher(), FetchRequest(url: server.url("/garbage")))
        guard case .invalidResponse(let url, _)? = error else { Issue.record("expected invalidResponse, got \(String(describing: error))"); return }
        #expect(url == server.url("/garbage"))
        #expect(error?.description.hasPrefix(server.url("/garbage").absoluteString) == true)
    }

    @Test("file: URLs are fetched only when the request allows them")
    func fileSchemeOnlyWhenAllowed() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-file-\(UUID().uuidString).html")
        try Data("<p>local</p>".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fetcher = loopbackFetcher()
        #expect(await fetchError(fetcher, FetchRequest(url: file)) == .unsupportedScheme(file))
        let page = try #require(try await fetchPage(fetcher, FetchRequest(url: file, allowFileScheme: true)))
        #expect(page.text == "<p>local</p>")
    }

    @Test("one 10 MB header line is a 'response header too large' error, not 'Out of memory'")
    func giantHeaderLine() async throws {
        let raw = Data(("HTTP/1.1 200 OK\r\nX-Giant: " + String(repeating: "g", count: 10 << 20) + "\r\nContent-Length: 2\r\n\r\nok").utf8)
        let server = try LoopbackServer { _ in LoopbackResponse(raw: raw) }
        let error = await fetchError(loopbackFetcher(), FetchRequest(url: server.url("/giant")))
        guard case .invalidResponse(let url, let message)? = error else {
            Issue.record("expected invalidResponse, got \(String(describing: error))")
            return
        }
        #expect(url == server.url("/giant"))
        #expect(message.hasPrefix("response header too large"), "\(message)")
        #expect(!(error?.description.lowercased().contains("out of memory") ?? true))
    }

    @Test("a gzip file body (.xml.gz, application/gzip or x-gzip) is decompressed; a broken one or one past the cap is a clear error")
    func gzipFileBodies() async throws {
        let sitemap = Data("<?xml version=\"1.0\"?><urlset><url><loc>https://news.example/a</loc></url></urlset>".utf8)
        // 8 MiB of one letter, packed by the system's gzip into a few KiB: a small download
        // that unpacks far past the 1 MiB cap.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-bomb-\(UUID().uuidString)")
        try Data(repeating: 0x61, count: 8 << 20).write(to: file)
        defer { try? FileManager.default.removeItem(at: file); try? FileManager.default.removeItem(atPath: file.path + ".gz") }
        #expect(try ExternalProcess.run("gzip", ["-f", "-k", file.path]).succeeded)
        let bomb = try Data(contentsOf: URL(fileURLWithPath: file.path + ".gz"))
        #expect(bomb.count < 1 << 20)
        let server = try LoopbackServer { request in
            switch request.path {
            case "/gzip": return LoopbackResponse(headers: [("Content-Type", "application/gzip")], body: GzipFile.stored(sitemap))
            case "/x-gzip": return LoopbackResponse(headers: [("Content-Type", "application/x-gzip")], body: GzipFile.stored(sitemap))
            case "/sitemap.xml.gz": return LoopbackResponse(headers: [("Content-Type", "application/octet-stream")], body: GzipFile.stored(sitemap))
            case "/broken.xml.gz": return LoopbackResponse(headers: [("Content-Type", "application/gzip")], body: GzipFile.stored(sitemap).prefix(40))
            case "/big.gz": return LoopbackResponse(headers: [("Content-Type", "application/gzip")], body: bomb)
            default: return .notFound
            }
        }
        let fetcher = loopbackFetcher { $0.maxBodyBytes = 1 << 20 }
        for path in ["/gzip", "/x-gzip", "/sitemap.xml.gz"] {
            let page = try #require(try await fetchPage(fetcher, FetchRequest(url: server.url(path))), "\(path)")
            #expect(page.text == String(decoding: sitemap, as: UTF8.self), "\(path)")
        }
        let broken = await fetchError(fetcher, FetchRequest(url: server.url("/broken.xml.gz")))
        guard case .invalidResponse(_, let message)? = broken else {
            Issue.record("expected invalidResponse, got \(String(describing: broken))")
            return
        }
        #expect(message.contains("gzip"))
        #expect(await fetchError(fetcher, FetchRequest(url: server.url("/big.gz"))) == .tooLarge(server.url("/big.gz"), limit: 1 << 20))
    }
}
