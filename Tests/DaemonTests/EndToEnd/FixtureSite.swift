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
        server.setHandler(LoopbackServer.secondListingHandler(site: Self.site, extra: Self.siteExtra,
                                                              delays: [Self.extraArticle: articleDelay]))
    }
}
