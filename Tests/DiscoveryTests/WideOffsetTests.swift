import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Discovery

/// #11: a feed or sitemap date with an offset beyond ±18:00 killed `discover`, `refresh` and
/// `run` (SIGILL on a force-unwrapped TimeZone). Such a date now names its moment in UTC.
@Suite("Feed and sitemap dates with offsets no zone has")
struct WideOffsetTests {
    static let expected = [
        "https://news.example.com/2024/01/ferry-timetable.html": "2023-12-31T05:00:00Z",
        "https://news.example.com/2023/12/night-market.html": "2023-12-31T17:59:00Z",
    ]

    func dates(_ links: [(String, String?)]) -> [String: String] {
        Dictionary(links.map { ($0.0, $0.1 ?? "-") }, uniquingKeysWith: { a, _ in a })
    }

    @Test("an Atom feed dated +19:00 and -23:59 gives its links with those moments in UTC")
    func atom() throws {
        let page = try Fixture.page("feeds/atom-wide-offset.xml", url: "https://news.example.com/feed.atom", contentType: "application/atom+xml")
        let result = LinkDiscoverer(configuration: DiscoveryConfiguration()).discover(page: page, limit: 10)
        #expect(dates(result.links.map { ($0.url.absoluteString, $0.dateHint?.rfc3339) }) == Self.expected)
    }

    @Test("a sitemap with lastmod +19:00 and -18:30 gives its links with those moments in UTC")
    func sitemap() throws {
        let page = try Fixture.page("feeds/sitemap-wide-offset.xml", url: "https://news.example.com/sitemap.xml", contentType: "application/xml")
        let result = LinkDiscoverer(configuration: DiscoveryConfiguration()).discover(page: page, limit: 10)
        #expect(dates(result.links.map { ($0.url.absoluteString, $0.dateHint?.rfc3339) }) == [
            "https://news.example.com/2024/01/ferry-timetable.html": "2023-12-31T05:00:00Z",
            "https://news.example.com/2023/12/night-market.html": "2023-12-31T12:30:00Z",
        ])
    }

    struct Report: Decodable {
        struct Link: Decodable { var url: String; var date: String? }
        var links: [Link]
    }

    @Test("`tidings discover` reads both files and exits 0", arguments: [
        ("atom-wide-offset.xml", "https://news.example.com/feed.atom"),
        ("sitemap-wide-offset.xml", "https://news.example.com/sitemap.xml"),
    ])
    func command(file: String, url: String) throws {
        let path = Fixture.file("feeds/" + file).path
        let run = try ExternalProcess.run(TidingsBinary.url.path, ["discover", path, "--url", url, "--json"])
        #expect(run.succeeded, "exit \(run.status): \(run.output.prefix(400))")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.output.utf8))
        #expect(Set(report.links.map(\.url)) == Set(Self.expected.keys))
        #expect(report.links.allSatisfy { $0.date?.hasSuffix("Z") == true })
    }
}
