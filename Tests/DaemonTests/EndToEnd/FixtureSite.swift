import Foundation
import TestSupport

/// The bundled offline sample site on loopback (the same bytes the Refresh tests use), with
/// the second listing (one more article) ready to switch on.
final class FixtureSite: Sendable {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let site = repository.appendingPathComponent("feeds/sample-site")
    static let siteExtra = repository.appendingPathComponent("Tests/RefreshTests/Fixtures/site-extra")
    static let checkFeed = repository.deletingLastPathComponent().appendingPathComponent("shared/validate/check-feed")
    /// The article that only the second listing links to.
    static let extraArticle = "/2025/1129/content_1047.html"
    /// Articles the first listing yields.
    static let firstListingArticles = 4

    let server: LoopbackServer

    init() throws {
        server = try LoopbackServer(directory: Self.site)
    }

    var listingURL: String { server.url("/index.html").absoluteString }

    /// `host` "localhost" gives the same pages other URLs, hence other entry ids.
    func sourceTOML(title: String = "青溪新闻网", every: String, host: String = "127.0.0.1") -> String {
        """
        title = "\(title)"
        url = "\(listingURL.replacingOccurrences(of: "127.0.0.1", with: host))"
        every = "\(every)"
        language = "zh-CN"
        timezone = "Asia/Shanghai"
        """
    }

    /// Serves the second listing from now on; `articleDelay` holds back the new article's page.
    func publishExtraArticle(articleDelay: TimeInterval = 0) {
        let base = LoopbackServer.fileHandler(directory: Self.site, overrides: [:])
        let extra = LoopbackServer.fileHandler(directory: Self.siteExtra, overrides: [:])
        server.setHandler { request in
            if request.path == "/index.html" || request.path == "/" {
                var indexRequest = request
                indexRequest.target = "/index-2.html"
                return extra(indexRequest)
            }
            var fromExtra = extra(request)
            if request.path == Self.extraArticle { fromExtra.delay = articleDelay }
            return fromExtra.status == 200 ? fromExtra : base(request)
        }
    }
}
