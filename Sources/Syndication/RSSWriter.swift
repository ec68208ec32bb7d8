import TidingsCore

/// RSS 2.0 (https://www.rssboard.org/rss-specification) for readers that know nothing else,
/// with the same entries and ids (as non-permalink guids) as the Atom feed.
enum RSSWriter {
    static let atomNamespace = "http://www.w3.org/2005/Atom"
    static let dublinCoreNamespace = "http://purl.org/dc/elements/1.1/"
    /// `enclosure` requires a length; 0 is the RSS Advisory Board's advice when it is unknown.
    static let unknownLength = "0"

    /// Everything before the first item.
    static func head(_ feed: FeedHeader, links: FeedLinks) -> [UInt8] {
        var xml = XMLBuilder()
        xml.open("rss", [("version", "2.0"), ("xmlns:atom", atomNamespace), ("xmlns:dc", dublinCoreNamespace)])
        xml.open("channel")
        xml.element("title", [], feed.title)
        xml.element("link", [], feed.siteURL ?? links.absolute(FeedLinks.fileName(feed.stem, .rss))?.absoluteString ?? "")
        // RSS readers render the channel description as HTML: the title is text in it.
        xml.element("description", [], HTMLEscaping.escaped(feed.subtitle ?? "Full-text feed of \(feed.title)"))
        if let selfURL = links.absolute(FeedLinks.fileName(feed.stem, .rss)) {
            xml.element("atom:link", [("rel", "self"), ("type", FeedFormat.rss.mediaType), ("href", selfURL.absoluteString)])
            if let hub = links.hubURL { xml.element("atom:link", [("rel", "hub"), ("href", hub)]) }   // WebSub §4
        }
        if let language = feed.language { xml.element("language", [], language) }
        xml.element("lastBuildDate", [], feed.updated.formatted(.rfc822))
        xml.element("generator", [], "Tidings \(TidingsVersion.current)")
        if let minutes = feed.refreshMinutes { xml.element("ttl", [], String(minutes)) }
        if let icon = feed.icon, let site = feed.siteURL {
            xml.open("image")
            xml.element("url", [], icon)
            xml.element("title", [], feed.title)
            xml.element("link", [], site)
            xml.close()
        }
        return xml.bytes
    }

    static let foot = Array("  </channel>\n</rss>\n".utf8)

    static func item(_ entry: EntryView) -> [UInt8] {
        var xml = XMLBuilder(fragmentAt: 2)
        xml.open("item")
        xml.element("title", [], entry.title)
        if let link = entry.link { xml.element("link", [], link) }
        xml.element("guid", [("isPermaLink", "false")], entry.id)
        xml.element("pubDate", [], entry.published.formatted(.rfc822))
        for author in entry.authors { xml.element("dc:creator", [], author) }
        xml.element("category", [], entry.sourceTitle)
        for keyword in entry.keywords { xml.element("category", [], keyword) }
        if let outlet = entry.outlet { xml.element("category", [("domain", AtomWriter.outletScheme)], outlet) }
        if let image = entry.image {
            xml.element("enclosure", [("url", image), ("length", unknownLength), ("type", entry.imageType)])
        }
        xml.element("description", [], entry.contentHTML)
        xml.close()
        return xml.bytes
    }
}
