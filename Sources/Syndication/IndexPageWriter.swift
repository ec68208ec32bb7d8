import TidingsCore

/// `index.html`: the page a person opens first. Every source with its feeds, entry count
/// and health; autodiscovery links for readers. No script, no external resources, a small
/// stylesheet of its own that reads well on a phone.
enum IndexPageWriter {
    struct Row {
        var feed: FeedDocument
        var health: SourceHealth
    }

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

    static func document(title: String, rows: [Row], combined: FeedDocument) -> String {
        let pageTitle = HTMLEscaping.escaped(title)
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Tidings \(TidingsVersion.current)">
        <title>\(pageTitle)</title>

        """
        for feed in [combined] + rows.map(\.feed) {
            for format in FeedFormat.allCases {
                html += "<link rel=\"alternate\" type=\"\(format.mediaType)\" title=\"\(HTMLEscaping.escaped(feed.title + " (" + format.label + ")"))\" href=\"\(href(feed, format))\">\n"
            }
        }
        html += "<style>\n\(stylesheet)\n</style>\n</head>\n<body>\n<header>\n<h1>\(pageTitle)</h1>\n"
        let entryTotal = combined.entries.count
        html += "<p class=\"meta\">\(rows.count) \(rows.count == 1 ? "source" : "sources") · "
            + "all sources together: \(feedLinks(combined)) (\(entryTotal) \(entryTotal == 1 ? "entry" : "entries")) · "
            + "<a href=\"feeds.opml\">OPML</a></p>\n</header>\n<main>\n"
        for row in rows { html += section(row) }
        if rows.isEmpty { html += "<p>No sources yet: add a file to feeds/ and refresh.</p>\n" }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func section(_ row: Row) -> String {
        let feed = row.feed
        let mark = HealthMark(row.health)
        var html = "<section class=\"source\" id=\"\(HTMLEscaping.escaped("source-" + feed.stem))\">\n<h2>"
        if let site = feed.siteURL {
            html += "<a href=\"\(HTMLEscaping.escaped(site))\">\(HTMLEscaping.escaped(feed.title))</a>"
        } else {
            html += HTMLEscaping.escaped(feed.title)
        }
        html += " <span class=\"mark \(mark.cssClass)\" title=\"\(HTMLEscaping.escaped(mark.explanation))\">\(mark.label)</span></h2>\n"
        html += "<p class=\"feeds\">\(feedLinks(feed))</p>\n"
        let count = feed.entries.count
        var meta = "\(count) \(count == 1 ? "entry" : "entries") · last successful refresh: "
        meta += row.health.lastSuccess.map(time) ?? "never"
        if let newest = feed.entries.first {
            meta += " · newest: " + (newest.link.map { "<a href=\"\(HTMLEscaping.escaped($0))\">\(HTMLEscaping.escaped(newest.title))</a>" }
                ?? HTMLEscaping.escaped(newest.title))
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
        return html
    }

    private static func feedLinks(_ feed: FeedDocument) -> String {
        FeedFormat.allCases.map { "<a href=\"\(href(feed, $0))\" type=\"\($0.mediaType)\">\($0.label)</a>" }
            .joined(separator: " ")
    }

    private static func href(_ feed: FeedDocument, _ format: FeedFormat) -> String {
        HTMLEscaping.escaped(FeedLinks.relative(FeedLinks.fileName(feed.stem, format)))
    }

    /// `<time>` with the exact moment for machines and `2023-06-17 03:00 UTC` for people.
    private static func time(_ timestamp: Timestamp) -> String {
        "<time datetime=\"\(timestamp.rfc3339)\">\(timestamp.formatted(.readable))</time>"
    }
}
