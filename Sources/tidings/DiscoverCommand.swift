import ArgumentParser
import Discovery
import Extraction
import Fetching
import Foundation
import TidingsCore

/// `tidings discover`: shows the article links Tidings finds on a page, and how.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Prints the article links found on listing pages, feeds or saved files, and how each was found.",
        discussion: """
        Run it while setting up a source: give the listing page's URL (fetched over the network) \
        or a saved copy of the page with --url naming where it came from. Each link is shown with \
        the way it was found: page links (automatic), selector ([discover] links), feed (the site's \
        own RSS/Atom, fetched when the page advertises one) or sitemap.

        With --bench DIR --out DIR, reads every <id>.html in DIR with its URL from <id>.json \
        ({"url": …}) and writes OUT/<id>.json = {"links": [absolute URLs in page order]}, using \
        only the page itself (no network), with no limit unless --limit is given.

        With --explain, prints every group of links found on the page (links sharing a place in \
        the page: one list, one table column, one grid), its score parts (text, URL shape, \
        structure, furniture) and why it was kept or dropped, so you can see why a page gives \
        few links, and which selector to set instead.
        """)

    @Argument(help: "Listing pages: http(s) URLs to fetch, or files saved from a site.")
    var pages: [String] = []

    @Option(help: "The URL a saved file came from; relative links resolve against it.")
    var url: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "A [discover] links selector to try (CSS subset or XPath).")
    var links: String?

    @Option(help: "The time zone of dates printed without an offset, e.g. Asia/Shanghai.")
    var timezone: String = "UTC"

    @Option(help: "The most links to report per page (default 100; no limit with --bench).")
    var limit: Int?

    @Flag(help: "Show every candidate link group with its score parts and why it was kept or dropped.")
    var explain = false

    @OptionGroup var settingsOptions: SettingsOptions

    @OptionGroup var renderOptions: RenderOptions

    @Option(help: "A folder of <id>.html pages with <id>.json ({\"url\": …}) to run without network.")
    var bench: String?

    @Option(help: "With --bench: the folder the <id>.json link lists are written to.")
    var out: String?

    func validate() throws {
        if bench != nil && out == nil { throw ValidationError("--bench needs --out DIR.") }
        if bench == nil && pages.isEmpty { throw ValidationError("Give at least one page (a URL or a file), or --bench DIR --out DIR.") }
        if TimeZone(identifier: timezone) == nil { throw ValidationError("'\(timezone)' is not an IANA time zone such as Asia/Shanghai.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if explain && bench != nil { throw ValidationError("--explain shows pages one by one; it does not combine with --bench.") }
    }

    var discoverer: LinkDiscoverer {
        LinkDiscoverer(configuration: DiscoveryConfiguration(timeZone: TimeZone(identifier: timezone) ?? .gmt))  // validated above
    }

    func run() async throws {
        if let bench, let out {
            try DiscoveryBench(discoverer: discoverer, limit: limit ?? Int.max).run(input: bench, output: out)
            return
        }
        var reports: [DiscoveryReport] = []
        var failed = false
        let fetcher: Fetcher
        do {
            fetcher = Fetcher(configuration: settingsOptions.fetcherConfiguration(try settingsOptions.settings()))
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
        for argument in pages {
            do {
                reports.append(try await report(for: argument, fetcher: fetcher))
            } catch {
                failed = true
                FileHandle.standardError.write(Data("error: \(argument): \(error)\n".utf8))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports.count == 1 ? AnyEncodable(reports[0]) : AnyEncodable(reports)), as: UTF8.self))
        } else {
            reports.forEach { print($0.text) }
        }
        if failed { throw ExitCode(1) }
    }

    func report(for argument: String, fetcher: Fetcher) async throws -> DiscoveryReport {
        let rules = DiscoverRules(links: links)
        let page: Page
        let isRemote = argument.hasPrefix("http://") || argument.hasPrefix("https://")
        if isRemote {
            guard let target = URL(string: argument) else { throw ValidationError("'\(argument)' is not a valid URL") }
            page = try await fetch(target, fetcher: fetcher, rendering: true)
        } else {
            page = try Self.pageFromFile(argument, url: url)
        }
        let limit = self.limit ?? Self.defaultLimit
        var result = discoverer.discover(page: page, rules: rules, limit: limit)
        let explanation = explain || result.links.isEmpty ? discoverer.explain(page: page, rules: rules) : nil
        var feedNote: String?
        var feedRead: URL?
        if let feedURL = result.feedURL, isRemote {
            do {
                let feed = discoverer.discover(page: try await fetch(feedURL, fetcher: fetcher), limit: limit)
                result = result.merged(with: feed, limit: limit)
                feedRead = feedURL
            } catch {
                feedNote = "the advertised feed could not be fetched: \(error)"
            }
        }
        var warnings = result.warnings + (feedNote.map { [$0] } ?? [])
        if result.links.isEmpty && result.sitemapURLs.isEmpty && !FeedParser.looksLikeFeed(page) {
            let signs = HTMLDocument(html: page.text, url: page.url).map(DiscoveryDiagnosis.signs(of:))
            warnings.append(DiscoveryDiagnosis.noArticleLinks(pageURL: page.url, signs: signs, groups: explanation?.groups ?? [],
                                                              feed: feedRead, sitemaps: [], selector: links))
        }
        return DiscoveryReport(page: page.url.absoluteString, feed: result.feedURL?.absoluteString,
                               sitemaps: result.sitemapURLs.map(\.absoluteString),
                               links: result.links.map(DiscoveryReport.Link.init),
                               warnings: warnings, groups: explain ? explanation?.groups : nil)
    }

    /// Links shown per page when --limit is not given.
    static let defaultLimit = 100

    func fetch(_ target: URL, fetcher: Fetcher, rendering: Bool = false) async throws -> Page {
        if rendering, let rendered = try await renderOptions.rendered(target, fetcher: fetcher, settings: try settingsOptions.settings()) {
            FileHandle.standardError.write(Data((rendered.summary + "\n").utf8))
            return try rendered.page()
        }
        switch try await fetcher.fetch(FetchRequest(url: target)) {
        case .page(let page): return page
        case .notModified(let u): throw ValidationError("\(u.absoluteString): unexpected 304 Not Modified")
        }
    }

    /// A saved page, decoded as the Fetcher would decode it (BOM, <meta charset>, UTF-8, GB18030).
    static func pageFromFile(_ path: String, url: String?) throws -> Page {
        let fileURL = URL(fileURLWithPath: path)
        guard let bytes = FileManager.default.contents(atPath: fileURL.path) else {
            throw ValidationError("cannot read \(fileURL.path)")
        }
        let pageURL: URL
        if let url {
            guard let u = URL(string: url), u.scheme != nil else { throw ValidationError("--url '\(url)' is not an absolute URL") }
            pageURL = u
        } else {
            pageURL = fileURL
        }
        let decoded = CharsetDecoder.decode(bytes, contentType: nil)
        return Page(requestedURL: pageURL, url: pageURL, text: decoded.text, charset: decoded.charset,
                    charsetReason: decoded.reason, byteCount: bytes.count)
    }
}

/// What `tidings discover` prints for one page.
struct DiscoveryReport: Encodable {
    struct Link: Encodable {
        var url: String
        var title: String
        var date: String?
        var via: String

        init(_ link: DiscoveredLink) {
            url = link.url.absoluteString
            title = link.title
            date = link.dateHint?.rfc3339
            via = link.via.rawValue
        }
    }

    var page: String
    var feed: String?
    var sitemaps: [String]
    var links: [Link]
    var warnings: [String]
    /// With --explain: every candidate link group and its verdict.
    var groups: [LinkGroupExplanation]?

    var text: String {
        var lines = ["\(page): \(links.count) article link\(links.count == 1 ? "" : "s")"]
        if let groups {
            lines.append("  link groups (\(groups.count)), score = text + url + structure + furniture:")
            for (i, g) in groups.enumerated() {
                let p = g.parts
                lines.append(String(format: "  %@ %3d. %5.2f = %.2f %+.2f %+.2f %+.2f  %d link%@  %@",
                                    g.kept ? "+" : "-", i + 1, g.score, p.text, p.url, p.structure, p.furniture,
                                    g.links, g.links == 1 ? "" : "s", g.path))
                lines.append("         \(g.reason)" + (g.sample.isEmpty ? "" : "; e.g. " + g.sample.map { "\"\($0.prefix(60))\"" }.joined(separator: ", ")))
            }
        }
        if let feed { lines.append("  advertised feed: \(feed)") }
        for sitemap in sitemaps { lines.append("  child sitemap: \(sitemap)") }
        for warning in warnings { lines.append("  warning: \(warning)") }
        for (i, link) in links.enumerated() {
            let date = link.date.map { "  [\($0)]" } ?? ""
            lines.append("  \(i + 1). (\(link.via)) \(link.title)\(date)\n     \(link.url)")
        }
        return lines.joined(separator: "\n")
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
