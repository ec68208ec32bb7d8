@testable import Fetching
import Foundation
@testable import Refresh
import Storage
import TestSupport
import Testing
import TidingsCore

/// Issue #18, images: `images = "proxy"` puts a source's images behind the daemon's
/// `/img/<signature>/<payload>` proxy, which fetches them with the source's Referer.
@Suite("Image proxy")
struct ImageProxyTests {
    /// Only names the proxied URLs; nothing is ever fetched from it.
    static let base = URL(string: "http://feeds.example/")!
    static let images = RefreshHarness.fixtures.appendingPathComponent("images")
    /// The qingxi article's photo in the sample site.
    static let photoPath = "/images/2025/1128/ysfl01.gif"

    static func harness(_ adjust: (inout RefreshConfiguration) -> Void = { _ in }) async throws -> RefreshHarness {
        try await RefreshHarness { configuration in
            configuration.baseURL = base
            configuration.imageProxy.images = .proxy
            adjust(&configuration)
        }
    }

    /// Hotlink protection as Chinese portals do it: anything under /images/ (and the extra
    /// paths) is 403 unless the Referer is a page of the site.
    static func protectImages(of server: LoopbackServer, extra: [String: LoopbackResponse] = [:]) {
        let origin = server.baseURL.absoluteString
        let files = LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: extra)
        server.setHandler { request in
            let guarded = request.path.hasPrefix("/images/") || extra[request.path] != nil
            if guarded, request.headers["referer"]?.hasPrefix(origin) != true {
                return .text("<h1>403 Forbidden</h1><p>Hotlinking is not allowed.</p>", status: 403)
            }
            return files(request)
        }
    }

    /// The signature and payload of the proxied URL of `image`, as the rewriter makes it.
    static func proxyPath(_ harness: RefreshHarness, _ image: URL, sourceID: String? = nil) throws -> (String, String) {
        let key = try ProxyKeyFile.loadOrCreate(stateDirectory: harness.root.appendingPathComponent("state"))
        let url = try #require(ImageProxyLink(key: key).url(for: image, sourceID: sourceID ?? harness.source.id, baseURL: base))
        return try parts(of: url.absoluteString)
    }

    static func parts(of proxied: String) throws -> (String, String) {
        let prefix = base.absoluteString + "img/"
        #expect(proxied.hasPrefix(prefix))
        let pieces = proxied.dropFirst(prefix.count).split(separator: "/")
        try #require(pieces.count == 2)
        return (String(pieces[0]), String(pieces[1]))
    }

    static func ask(_ harness: RefreshHarness, _ path: (String, String), ifNoneMatch: String? = nil) async -> ImageAnswer {
        let source = harness.source
        return await harness.refresher.proxiedImage(signature: path.0, payload: path.1, ifNoneMatch: ifNoneMatch,
                                                    source: { $0 == source.id ? source : nil })
    }

    static func header(_ answer: ImageAnswer, _ name: String) -> String? {
        answer.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The proxied `src` values in the Atom content of the harness's feed.
    static func proxiedSources(_ harness: RefreshHarness) throws -> [String] {
        let prefix = base.absoluteString + "img/"
        return try harness.entries().flatMap { entry in
            entry.content.components(separatedBy: "src=\"").dropFirst().compactMap { rest -> String? in
                let value = String(rest.prefix { $0 != "\"" })
                return value.hasPrefix(prefix) ? value : nil
            }
        }
    }

    @Test("an image the site refuses without its own Referer loads through the proxy, with Cache-Control and an ETag")
    func hotlinkedImageLoads() async throws {
        let harness = try await Self.harness()
        defer { harness.server.stop() }
        Self.protectImages(of: harness.server)
        _ = try await harness.refreshAndPublish()

        // Without the Referer the site refuses the image, as it refuses a feed reader.
        let direct = Fetcher(configuration: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0))
        await #expect(throws: FetchError.self) {
            _ = try await direct.fetchBytes(FetchRequest(url: harness.server.url(Self.photoPath)), accept: "image/*", limit: 1 << 20)
        }

        let content = try harness.entries().map(\.content).joined()
        #expect(!content.contains(harness.server.url(Self.photoPath).absoluteString), "the feed still links the site's image")
        let proxied = try Self.proxiedSources(harness)
        #expect(!proxied.isEmpty)
        let photo = try #require(proxied.first { $0.hasSuffix(".gif") })
        let before = harness.server.requestCount(Self.photoPath)

        let answer = await Self.ask(harness, try Self.parts(of: photo))
        #expect(answer.status == 200)
        let bytes = try Data(contentsOf: RefreshHarness.site.appendingPathComponent(String(Self.photoPath.dropFirst())))
        #expect(Data(answer.body) == bytes)
        #expect(Self.header(answer, "Content-Type") == "image/gif")
        #expect(Self.header(answer, "Cache-Control")?.contains("max-age=") == true)
        let etag = try #require(Self.header(answer, "ETag"))
        #expect(harness.server.requestCount(Self.photoPath) == before + 1)

        // The second reader is answered from the disk cache; one that has the image gets a 304.
        let again = await Self.ask(harness, try Self.parts(of: photo))
        #expect(again.status == 200 && Data(again.body) == bytes)
        let revalidated = await Self.ask(harness, try Self.parts(of: photo), ifNoneMatch: etag)
        #expect(revalidated.status == 304 && revalidated.body.isEmpty)
        #expect(harness.server.requestCount(Self.photoPath) == before + 1)

        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("the signing key is made once in the state folder and survives a restart, so published URLs keep working")
    func keySurvivesRestart() async throws {
        let harness = try await Self.harness()
        defer { harness.server.stop() }
        Self.protectImages(of: harness.server)
        _ = try await harness.refreshAndPublish()
        let first = try Self.proxiedSources(harness)
        let keyFile = harness.root.appendingPathComponent("state/\(ProxyKeyFile.fileName)")
        let key = try Data(contentsOf: keyFile)
        #expect(key.count == 32)

        let restarted = try await Refresher(configuration: harness.refresher.configuration, logger: harness.refresher.logger)
        try await restarted.publish([harness.source])
        #expect(try Self.proxiedSources(harness) == first)
        #expect(try Data(contentsOf: keyFile) == key)
        let source = harness.source
        let (signature, payload) = try Self.parts(of: try #require(first.first))
        let answer = await restarted.proxiedImage(signature: signature, payload: payload, ifNoneMatch: nil,
                                                  source: { $0 == source.id ? source : nil })
        #expect(answer.status == 200)
    }

    @Test("a forged or altered signature is 404 and fetches nothing")
    func forgedSignatures() async throws {
        let harness = try await Self.harness()
        defer { harness.server.stop() }
        let (signature, payload) = try Self.proxyPath(harness, harness.server.url(Self.photoPath))
        let (_, otherPayload) = try Self.proxyPath(harness, harness.server.url("/images/logo.gif"))
        let (_, otherSource) = try Self.proxyPath(harness, harness.server.url(Self.photoPath), sourceID: "another")
        let flipped = String(signature.dropLast()) + (signature.last == "A" ? "B" : "A")
        let forged = ImageProxyLink(key: [UInt8](repeating: 7, count: 32))
            .url(for: harness.server.url(Self.photoPath), sourceID: harness.source.id, baseURL: Self.base)!
        let cases: [(String, String)] = [
            (flipped, payload),                     // one character of the signature changed
            (signature, otherPayload),              // the signature of another image
            (signature, otherSource),               // the same image for another source
            (try Self.parts(of: forged.absoluteString)),   // signed with another key
            (String(signature.prefix(10)), payload),       // cut short
            ("", payload), (signature, ""), ("%%%", "***"), (signature, "bm90IGEgdXJs"),
        ]
        for path in cases {
            let answer = await Self.ask(harness, path)
            #expect(answer.status == 404, "\(path)")
        }
        #expect(harness.server.totalRequests == 0)
        #expect(await Self.ask(harness, (signature, payload)).status == 200)
    }

    @Test("every other last character of a signature is refused, including those that differ only in unused bits")
    func signatureSpellings() throws {
        let link = ImageProxyLink(key: [UInt8](repeating: 3, count: 32))
        let url = try #require(link.url(for: URL(string: "https://img.example.com/a.jpg")!, sourceID: "news", baseURL: Self.base))
        let (signature, payload) = try Self.parts(of: url.absoluteString)
        #expect(link.verify(signature: signature, payload: payload) != nil)
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        for character in alphabet where character != signature.last {
            let altered = String(signature.dropLast()) + String(character)
            #expect(link.verify(signature: altered, payload: payload) == nil, "\(altered)")
        }
    }

    @Test("an SVG or HTML body is refused even when the site calls it an image")
    func refusesNonImages() async throws {
        let svg = try Data(contentsOf: Self.images.appendingPathComponent("drawing.svg"))
        let html = try Data(contentsOf: Self.images.appendingPathComponent("not-an-image.html"))
        let harness = try await Self.harness()
        defer { harness.server.stop() }
        Self.protectImages(of: harness.server, extra: [
            "/images/logo.svg": LoopbackResponse(headers: [("Content-Type", "image/svg+xml")], body: svg),
            "/images/photo.jpg": LoopbackResponse(headers: [("Content-Type", "image/jpeg")], body: html),
        ])
        for path in ["/images/logo.svg", "/images/photo.jpg"] {
            let answer = await Self.ask(harness, try Self.proxyPath(harness, harness.server.url(path)))
            #expect(answer.status == 502, "\(path)")
            #expect(Self.header(answer, "Content-Type")?.hasPrefix("text/plain") == true)
            #expect(!String(decoding: answer.body, as: UTF8.self).contains("<"))
            #expect(harness.server.requestCount(path) == 1)
        }
        let cache = ImageCache(stateDirectory: harness.root.appendingPathComponent("state"), limit: .max)
        #expect(cache.size == 0)
    }

    @Test("a redirect to a forbidden address is refused before anything is sent there")
    func refusesRedirectToForbiddenAddress() async throws {
        // 127.0.0.2 stands for a private or metadata address: a test-only rule denies it.
        let harness = try await Self.harness { $0.fetcher.deniedAddressesForTesting = ["127.0.0.2"] }
        defer { harness.server.stop() }
        let target = "http://127.0.0.2:\(harness.server.port)/images/logo.gif"
        Self.protectImages(of: harness.server, extra: [
            "/images/moved.gif": LoopbackResponse(status: 302, headers: [("Location", target)]),
        ])
        let answer = await Self.ask(harness, try Self.proxyPath(harness, harness.server.url("/images/moved.gif")))
        #expect(answer.status == 502)
        let text = String(decoding: answer.body, as: UTF8.self)
        #expect(text.contains("denied by a test rule"), "\(text)")
        #expect(harness.server.requestCount("/images/logo.gif") == 0)
    }

    @Test("an image larger than the cap is refused")
    func refusesLargeImages() async throws {
        let png = try Data(contentsOf: Self.images.appendingPathComponent("red-8x8.png"))
        let harness = try await Self.harness { $0.imageProxy.maxImageBytes = png.count - 1 }
        defer { harness.server.stop() }
        Self.protectImages(of: harness.server, extra: ["/images/red.png": LoopbackResponse(headers: [("Content-Type", "image/png")], body: png)])
        let answer = await Self.ask(harness, try Self.proxyPath(harness, harness.server.url("/images/red.png")))
        #expect(answer.status == 502)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("larger than"))
    }

    @Test("the image cache stays within its size limit, dropping the least recently used first")
    func cacheLimitHolds() async throws {
        let png = try Data(contentsOf: Self.images.appendingPathComponent("red-8x8.png"))
        // Each cached file is the image plus a line of about 100 bytes: three fit, four do not.
        let limit = 3 * (png.count + 130)
        let harness = try await Self.harness { $0.imageProxy.cacheLimit = limit }
        defer { harness.server.stop() }
        let paths = (1...5).map { "/images/red-\($0).png" }
        var extra: [String: LoopbackResponse] = [:]
        for path in paths { extra[path] = LoopbackResponse(headers: [("Content-Type", "image/png")], body: png) }
        Self.protectImages(of: harness.server, extra: extra)
        let cache = ImageCache(stateDirectory: harness.root.appendingPathComponent("state"), limit: limit)
        for path in paths {
            #expect(await Self.ask(harness, try Self.proxyPath(harness, harness.server.url(path))).status == 200)
            #expect(cache.size <= limit)
        }
        #expect(cache.size > 0)
        // The newest is served from the cache, the oldest had to go and is fetched again.
        _ = await Self.ask(harness, try Self.proxyPath(harness, harness.server.url(paths[4])))
        #expect(harness.server.requestCount(paths[4]) == 1)
        _ = await Self.ask(harness, try Self.proxyPath(harness, harness.server.url(paths[0])))
        #expect(harness.server.requestCount(paths[0]) == 2)
        #expect(cache.size <= limit)
    }

    @Test("without base_url the images stay direct")
    func directWithoutBaseURL() async throws {
        let harness = try await Self.harness { $0.baseURL = nil }
        defer { harness.server.stop() }
        _ = try await harness.refreshAndPublish()
        let content = try harness.entries().map(\.content).joined()
        #expect(content.contains(harness.server.url(Self.photoPath).absoluteString))
        #expect(!content.contains("/img/"))
        #expect(!FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("state/\(ProxyKeyFile.fileName)").path))
    }
}

@Suite("Image links and types")
struct ImageLinkTests {
    static let link = ImageProxyLink(key: Array("0123456789abcdef0123456789abcdef".utf8))
    static let base = URL(string: "https://feeds.example/tidings/")!

    @Test("src and every srcset candidate of img and source are proxied; other URLs and attributes are left alone")
    func rewritesBodies() throws {
        let rewriter = ImageLinkRewriter(link: Self.link, baseURL: Self.base)
        let html = #"<p>Text <a href="https://site.example/a?x=1&amp;y=2">link</a></p>"#
            + #"<picture><source srcset="https://img.example/a.webp 1x, https://img.example/a@2x.webp 2x"><img src="https://img.example/a.jpg?w=1&amp;h=2" alt="A &quot;quoted&quot; alt" srcset="https://img.example/a-640.jpg 640w"></picture>"#
            + #"<img src="data:image/gif;base64,R0lGOD"><IMG SRC="https://img.example/upper.png">"#
        let out = rewriter.html(html, sourceID: "news")
        #expect(out.contains(#"<a href="https://site.example/a?x=1&amp;y=2">"#))
        #expect(out.contains(#"alt="A &quot;quoted&quot; alt""#))
        #expect(out.contains(#"src="data:image/gif;base64,R0lGOD""#))
        #expect(!out.contains("https://img.example/"))
        let proxied = out.components(separatedBy: "https://feeds.example/tidings/img/").dropFirst()
        #expect(proxied.count == 5)
        // Each proxied URL verifies back to the image it stands for, entities undone.
        let first = try #require(out.range(of: #"<img src=""#))
        let value = out[first.upperBound...].prefix { $0 != "\"" }
        let parts = value.dropFirst(Self.base.absoluteString.count + 4).split(separator: "/")
        let verified = try #require(Self.link.verify(signature: String(parts[0]), payload: String(parts[1])))
        #expect(verified.sourceID == "news")
        #expect(verified.image.absoluteString == "https://img.example/a.jpg?w=1&h=2")
        #expect(value.hasSuffix(".jpg"))
        // Rewriting twice changes nothing more.
        #expect(rewriter.html(out, sourceID: "news") == out)
    }

    @Test("broken markup is copied through without a crash")
    func brokenMarkup() {
        let rewriter = ImageLinkRewriter(link: Self.link, baseURL: Self.base)
        for html in ["<img src=\"https://a.example/x.png", "<img src=\"", "<img", "<<<>>>", "<img src='https://a.example/x.png'>",
                     "<img src=\"https://a.example/x.png\" srcset=\", , ,\">", "<source srcset=\"\">", ""] {
            _ = rewriter.html(html, sourceID: "s")
        }
        #expect(rewriter.html("<img src=\"https://a.example/x.png", sourceID: "s") == "<img src=\"https://a.example/x.png")
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Signatures of the formats (JPEG ITU T.81 SOI; PNG RFC 2083 §3.1; GIF89a §17; WebP RIFF
    /// container; AVIF: ISO BMFF ftyp with brand avif/avis), and look-alikes that must fail.
    static let samples: [(name: String, bytes: [UInt8], type: ImageType?)] = {
        var samples: [(name: String, bytes: [UInt8], type: ImageType?)] = []
        let zero: [UInt8] = [0, 0, 0, 0]
        samples.append(("JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], .jpeg))
        samples.append(("PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], .png))
        samples.append(("GIF89a", bytes("GIF89a") + [1, 0], .gif))
        samples.append(("GIF87a", bytes("GIF87a"), .gif))
        samples.append(("WebP", bytes("RIFF") + [0x24, 0, 0, 0] + bytes("WEBPVP8 "), .webp))
        samples.append(("AVIF major brand", [0, 0, 0, 0x1C] + bytes("ftypavif") + zero + bytes("avifmif1miaf"), .avif))
        samples.append(("AVIF sequence as compatible brand", [0, 0, 0, 0x18] + bytes("ftypmif1") + zero + bytes("mif1avis"), .avif))
        samples.append(("MP4", [0, 0, 0, 0x18] + bytes("ftypmp42") + zero + bytes("mp42isom"), nil))
        samples.append(("ftyp box longer than the bytes", [0, 0, 0, 0x40] + bytes("ftypavif") + zero, nil))
        samples.append(("SVG with XML declaration", bytes("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), nil))
        samples.append(("SVG", bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"), nil))
        samples.append(("HTML", bytes("<!DOCTYPE html><html>"), nil))
        samples.append(("WAVE in RIFF", bytes("RIFF") + [0x24, 0, 0, 0] + bytes("WAVEfmt "), nil))
        samples.append(("two bytes of JPEG", [0xFF, 0xD8], nil))
        samples.append(("nothing", [], nil))
        return samples
    }()

    @Test("the type comes from the first bytes: JPEG, PNG, GIF, WebP and AVIF pass, SVG, HTML and others do not")
    func sniffsTypes() {
        for sample in Self.samples {
            #expect(ImageType.sniff(sample.bytes) == sample.type, "\(sample.name)")
        }
    }

    @Test("the fixture PNG is recognised")
    func fixturePNG() throws {
        let png = try Data(contentsOf: ImageProxyTests.images.appendingPathComponent("red-8x8.png"))
        #expect(ImageType.sniff([UInt8](png)) == .png)
    }
}

@Suite("Image cache files")
struct ImageCacheFileTests {
    @Test("a damaged or foreign file in the cache folder is a miss, never a crash")
    func damagedFiles() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let cache = ImageCache(stateDirectory: state, limit: 1 << 20)
        let entry = ImageCache.Entry(contentType: "image/png", etag: "\"x\"", fetchedAt: 1, body: Data([0x89, 0x50, 0x4E, 0x47]))
        try cache.store(entry, for: "key_-1")
        #expect(cache.entry(for: "key_-1") == entry)
        let file = cache.directory.appendingPathComponent("key_-1.image")
        for junk in [Data(), Data("no newline at all".utf8), Data("{\"contentType\": 1}\n\u{89}PNG".utf8), Data([0, 0xFF, 0x0A, 0x00]),
                     Data("{}\n".utf8)] {
            try junk.write(to: file)
            #expect(cache.entry(for: "key_-1") == nil)
        }
        // A key that is no file name is reduced to its safe characters, never a path.
        try cache.store(entry, for: "../../escape")
        #expect(FileManager.default.fileExists(atPath: cache.directory.appendingPathComponent("escape.image").path))
        #expect(!FileManager.default.fileExists(atPath: state.deletingLastPathComponent().appendingPathComponent("escape.image").path))
    }
}
