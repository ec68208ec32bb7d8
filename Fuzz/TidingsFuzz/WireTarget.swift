import Discovery
import Extraction
import Foundation
@testable import Isolation
import TidingsCore

/// The daemon's side of the worker protocol: whatever a (broken or compromised) worker
/// writes, reading it is an error or a value, never a trap or a huge allocation.
enum WireTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        _ = try? WorkerResponse.decoded(bytes)
        _ = try? WorkerRequest.decoded(bytes)
    }
}

extension WireTarget {
    /// Seeds: real answers and requests, written by the fuzz binary itself into
    /// $TIDINGS_FUZZ_WRITE_WIRE_SEEDS (scripts/fuzz asks for them before fuzzing).
    static func writeSeeds(to folder: String) {
        let url = URL(string: "https://news.example.com/2023/06/17/story.html")!
        var article = Article(url: url, title: "标题", author: "李明", published: Timestamp(rfc3339: "2023-06-17T02:27:18+08:00"),
                              html: "<p>正文</p>", text: "正文", summary: "摘要")
        article.keywords = ["a", "b"]
        article.fingerprint = 42
        let page = Page(requestedURL: url, url: url, contentType: "text/html", text: "<html><body><p>x</p></body></html>")
        let source = Source(id: "s", title: "S", url: url, timeZone: "Asia/Shanghai")
        var frames: [[UInt8]?] = [
            WorkerResponse.article(ArticlePage(article: .success(article), nextPage: url)).encoded(),
            WorkerResponse.article(ArticlePage(article: .failure(ExtractionFailure(.listingPage, "x")), nextPage: nil)).encoded(),
            WorkerResponse.links(DiscoveryResult(links: [DiscoveredLink(url: url, title: "t", dateHint: article.published, via: .feed)],
                                                 feedURL: url, sitemapURLs: [url], warnings: ["w"])).encoded(),
            WorkerResponse.sitemaps([url, url]).encoded(),
            WorkerResponse.refused("no").encoded(),
            WorkerResponse.evidence(.init(signs: .init(visibleCharacters: 3, scriptCharacters: 900, hasNoscriptNotice: true),
                                          groups: [LinkGroupExplanation(path: "ul > li > a", links: 4, sample: ["a"],
                                                                        parts: .init(text: 0.1, url: 0.2, structure: 0.3, furniture: -0.1),
                                                                        score: 0.5, kept: false, reason: "r")])).encoded(),
        ]
        frames += [WorkerRequest.article(page, source).encoded(), WorkerRequest.links(page, source, .init(), limit: 5).encoded(),
                   WorkerRequest.evidence(page, source).encoded(), WorkerRequest.sitemaps(robotsTxt: "Sitemap: /s.xml", robotsURL: url).encoded()]
        for (index, frame) in frames.compactMap({ $0 }).enumerated() where frame.count > 4 {
            _ = FileManager.default.createFile(atPath: folder + "/wire-\(index)", contents: Data(frame.dropFirst(4)))
        }
    }
}
