import TidingsCore

/// `index.html`: the page a person opens first. Every source with its feeds, entry count
/// and health; autodiscovery links for readers. No script, no external resources, a small
/// stylesheet of its own that reads well on a phone.
enum IndexPageWriter {
    /// Errors longer than this are cut on the page (a whole HTML error page quoted in a
    /// message would bury the list); the full text stays in the log.
    static let longestErrorShown = 400

    static let stylesheet = """
    :root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#666;--line:#ddd;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#161618;--muted:#9a9a9a;--line:#333;--ok:#3fb950;--warn:#d29922;--bad:#f85149}}
    body{margin:0 auto;max-width:46rem;padding:1rem;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
    h1{font-size:1.5rem;margin:.5rem 0}
    h2{font-size:1.1rem;margin:0 0 .25rem;overflow-wrap:anywhere}
    a{color:inherit}
    .source{border-top:1px solid var(--line);padding:.75rem 0}
    .feeds a{margin-right:.75rem}
    .meta{color:var(--muted);font-size:.9rem;margin:.25rem 0 0}
    .error{color:var(--bad);font-size:.9rem;overflow-wrap:anywhere;margin:.25rem 0 0}
    .mark{font-size:.8rem;font-weight:600;border:1px solid;border-radius:1rem;padding:0 .5rem;white-space:nowrap}
    .mark.ok{color:var(--ok)}.mark.new{color:var(--muted)}.mark.failing{color:var(--warn)}.mark.broken{color:var(--bad)}
    """

    /// A feed as the page links to it: its file stem and title.
    struct FeedName: Hashable {
        var stem: String
        var title: String
    }

    /// The page up to the sources' autodiscovery links: the combined feed's come first.
    static func headStart(title: String, combined: FeedName) -> [UInt8] {
        let pageTitle = HTMLEscaping.escaped(title)
        return Array("""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Tidings \(TidingsVersion.current)">
        <title>\(pageTitle)</title>

        """.utf8) + links(for: combined)
    }

    /// From the end of `<head>` to the first source's section.
    static func headEnd(title: String, sourceCount: Int, combined: FeedName, combinedEntryCount: Int) -> [UInt8] {
        let pageTitle = HTMLEscaping.escaped(title)
        var html = "<style>\n\(stylesheet)\n</style>\n</head>\n<body>\n<header>\n<h1>\(pageTitle)</h1>\n"
        html += "<p class=\"meta\">\(sourceCount) \(sourceCount == 1 ? "source" : "sources") · "
            + "all sources together: \(feedLinks(combined)) (\(combinedEntryCount) \(combinedEntryCount == 1 ? "entry" : "entries")) · "
            + "<a href=\"feeds.opml\">OPML</a></p>\n</header>\n<main>\n"
        return Array(html.utf8)
    }

    static func foot(hadSources: Bool) -> [UInt8] {
        Array(((hadSources ? "" : "<p>No sources yet: add a file to feeds/ and refresh.</p>\n") + "</main>\n</body>\n</html>\n").utf8)
    }

    /// The autodiscovery `<link>` elements of one feed.
    static func links(for feed: FeedName) -> [UInt8] {
        var html = ""
        for format in FeedFormat.allCases {
            html += "<link rel=\"alternate\" type=\"\(format.mediaType)\" title=\"\(HTMLEscaping.escaped(feed.title + " (" + format.label + ")"))\" href=\"\(href(feed.stem, format))\">\n"
        }
        return Array(html.utf8)
    }

    static func section(_ row: IndexRow) -> [UInt8] {
        let mark = HealthMark(row.health)
        let name = FeedName(stem: row.sourceID, title: row.title)
        var html = "<section class=\"source\" id=\"\(HTMLEscaping.escaped("source-" + row.sourceID))\">\n<h2>"
        if let site = row.siteURL {
            html += "<a href=\"\(HTMLEscaping.escaped(site))\">\(HTMLEscaping.escaped(row.title))</a>"
        } else {
            html += HTMLEscaping.escaped(row.title)
        }
        html += " <span class=\"mark \(mark.cssClass)\" title=\"\(HTMLEscaping.escaped(mark.explanation))\">\(mark.label)</span></h2>\n"
        html += "<p class=\"feeds\">\(feedLinks(name))</p>\n"
        let count = row.entryCount
        var meta = "\(count) \(count == 1 ? "entry" : "entries") · last successful refresh: "
        meta += row.health.lastSuccess.map(time) ?? "never"
        if let newest = row.newestTitle {
            meta += " · newest: " + (row.newestLink.map { "<a href=\"\(HTMLEscaping.escaped($0))\">\(HTMLEscaping.escaped(newest))</a>" }
                ?? HTMLEscaping.escaped(newest))
        }
        html += "<p class=\"meta\">\(meta)</p>\n"
        if mark == .broken {
            html += "<p class=\"error\">\(HTMLEscaping.escaped(mark.explanation))</p>\n"
        }
        if let error = FeedText.nonEmptyLine(row.health.lastError).map({ FeedText.shortened($0, to: longestErrorShown) }) {
            let when = row.health.lastAttempt.map { " (" + time($0) + ")" } ?? ""
            let kind = row.health.lastErrorKind.map { " data-kind=\"\(HTMLEscaping.escaped($0.name))\"" } ?? ""
            html += "<p class=\"error\"\(kind)>Last error\(when): \(HTMLEscaping.escaped(error))</p>\n"
        }
        html += "</section>\n"
        return Array(html.utf8)
    }

    private static func feedLinks(_ feed: FeedName) -> String {
        FeedFormat.allCases.map { "<a href=\"\(href(feed.stem, $0))\" type=\"\($0.mediaType)\">\($0.label)</a>" }
            .joined(separator: " ")
    }

    private static func href(_ stem: String, _ format: FeedFormat) -> String {
        HTMLEscaping.escaped(FeedLinks.relative(FeedLinks.fileName(stem, format)))
    }

    /// `<time>` with the exact moment for machines and `2023-06-17 03:00 UTC` for people.
    private static func time(_ timestamp: Timestamp) -> String {
        "<time datetime=\"\(timestamp.rfc3339)\">\(timestamp.formatted(.readable))</time>"
    }
}
