import Fetching
import Foundation
import Logging
import Refresh
import TestSupport
import Testing
import TidingsCore

/// A small news site on loopback whose listing links three different articles, with a `head`
/// of the test's choosing on every article page (`HOST` becomes the server's address).
struct IdentitySite {
    static let stories = [
        ("alpha", "Harbour Bridge Closes for Repairs", "The harbour bridge will close to traffic for six weeks while engineers replace the bearings under the eastern span. Buses will divert over the old ferry road, and the council expects the footpath to stay open on weekends."),
        ("beta", "Night Market Returns to the Quay", "Stalls selling grilled fish, noodles and handmade lanterns are back on the quay every Friday evening from six. The traders association says forty vendors have signed up and that the market will run until the end of October."),
        ("gamma", "Lifeboat Crew Honoured for Storm Rescue", "Seven volunteers of the lifeboat station received medals for rescuing the crew of a fishing boat during the January storm. The coxswain said the waves were the highest he had seen in twenty years of service at the station."),
    ]

    let server: LoopbackServer
    let box: PortBox
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-identity-\(UUID().uuidString)")
    let refresher: Refresher

    /// `paths` gives each story's path (with its query); `head` the extra markup of a story's page.
    init(paths: [String], head: @escaping @Sendable (_ index: Int, _ host: String) -> String) async throws {
        let box = PortBox()
        box.listed = paths.count
        self.box = box
        server = try LoopbackServer { request in
            let host = "127.0.0.1:\(box.port)"
            if request.path == "/news/" {
                let items = zip(paths, Self.stories).prefix(box.listed).map { path, story in "<li><a href=\"\(path)\">\(story.1)</a></li>" }
                return .text("<html><head><title>Harbour Gazette · Local</title></head><body><h1>Local news</h1><ul>"
                             + items.joined() + "</ul></body></html>")
            }
            guard let index = paths.firstIndex(of: request.target) else { return LoopbackResponse(status: 404) }
            let (_, title, text) = Self.stories[index]
            let body = (1...4).map { "<p>\(text) (\(title), part \($0).)</p>" }.joined()
            return .text("<html><head><title>\(title) | Harbour Gazette</title>\(head(index, host))</head><body>"
                         + "<article><h1>\(title)</h1>\(body)</article></body></html>")
        }
        box.port = server.port
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        refresher = try await Refresher(configuration: RefreshConfiguration(
            feedsDirectory: root.appendingPathComponent("feeds"), outputDirectory: root.appendingPathComponent("public"),
            stateDirectory: root.appendingPathComponent("state"),
            fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0)), logger: logger)
    }

    var source: Source { Source(id: "harbour", title: "Harbour Gazette", url: server.url("/news/"), language: "en") }

    func refresh() async throws -> (RefreshReport, [AtomEntry]) {
        let report = await refresher.refresh(source)
        try await refresher.publish([source])
        return (report, try AtomReader.entries(at: root.appendingPathComponent("public/harbour.atom")))
    }

    final class PortBox: @unchecked Sendable {
        // @unchecked Sendable: written before the requests they shape are served.
        var port = 0
        /// How many of the stories the listing links to (the first ones).
        var listed = 0
    }
}

/// #11 "Identity": two distinct articles never become one entry, and no entry's content is
/// ever replaced by another article's. Each case merged the three articles on the code before
/// Discovery owned identity.
@Suite("Refresh: distinct articles stay distinct entries")
struct IdentityCasesTests {
    static let paths = ["/news/alpha.html", "/news/beta.html", "/news/gamma.html"]

    func expectThreeEntries(_ site: IdentitySite, paths: [String] = paths) async throws {
        let (report, entries) = try await site.refresh()
        #expect(report.newArticles == 3, "\(report.issues)")
        try check(entries, site: site, paths: paths)
    }

    func check(_ entries: [AtomEntry], site: IdentitySite, paths: [String] = paths) throws {
        #expect(entries.count == 3)
        #expect(Set(entries.map(\.title)) == Set(IdentitySite.stories.map(\.1)))
        #expect(Set(entries.map(\.id)).count == 3)
        for (story, path) in zip(IdentitySite.stories, paths) {
            let entry = try #require(entries.first { $0.title == story.1 })
            #expect(entry.link == site.server.url(path).absoluteString, "the link of \(story.0)")
            #expect(entry.content.contains(story.2.prefix(40)), "the text of \(story.0)")
        }
    }

    @Test("three articles sharing <base href> on another host stay three entries linking to their own pages")
    func baseHref() async throws {
        let site = try await IdentitySite(paths: Self.paths) { _, _ in "<base href=\"https://news.example.com/\">" }
        try await expectThreeEntries(site)
    }

    @Test("a rel=canonical at the site's home page is ignored")
    func canonicalHome() async throws {
        let site = try await IdentitySite(paths: Self.paths) { _, host in "<link rel=\"canonical\" href=\"http://\(host)/\">" }
        try await expectThreeEntries(site)
    }

    @Test("a rel=canonical at the section page (the listing) is ignored")
    func canonicalSection() async throws {
        let site = try await IdentitySite(paths: Self.paths) { _, host in "<meta property=\"og:url\" content=\"http://\(host)/news/\">" }
        try await expectThreeEntries(site)
    }

    @Test("query parameters that carry the article id are kept", arguments: ["ref", "from", "feed", "via"])
    func idParameters(name: String) async throws {
        let paths = ["/story.php?\(name)=101", "/story.php?\(name)=102", "/story.php?\(name)=103"]
        let site = try await IdentitySite(paths: paths) { _, _ in "" }
        try await expectThreeEntries(site, paths: paths)
    }

    @Test("two pages whose template names a third article as canonical do not replace it")
    func canonicalAtAnotherArticle() async throws {
        let site = try await IdentitySite(paths: Self.paths) { index, host in
            index == 0 ? "" : "<link rel=\"canonical\" href=\"http://\(host)/news/alpha.html\">"
        }
        try await expectThreeEntries(site)
    }

    @Test("an article whose canonical names an entry stored by an earlier refresh does not replace it")
    func canonicalAtStoredArticle() async throws {
        let site = try await IdentitySite(paths: Self.paths) { index, host in
            index == 2 ? "<link rel=\"canonical\" href=\"http://\(host)/news/alpha.html\">" : ""
        }
        site.box.listed = 2
        let (first, stored) = try await site.refresh()
        #expect(first.newArticles == 2 && stored.count == 2, "\(first.issues)")
        site.box.listed = 3
        let (second, entries) = try await site.refresh()
        #expect(second.newArticles == 1, "\(second.issues)")
        let alphaID = try #require(stored.first { $0.title == IdentitySite.stories[0].1 }?.id)
        let alpha = try #require(entries.first { $0.id == alphaID })
        #expect(alpha.title == IdentitySite.stories[0].1)
        #expect(alpha.content.contains(IdentitySite.stories[0].2.prefix(40)))
        try check(entries, site: site)
    }
}
