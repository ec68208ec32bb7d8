import TidingsCore

/// Atom 1.0 (RFC 4287), the primary format.
enum AtomWriter {
    static let namespace = "http://www.w3.org/2005/Atom"
    /// Scheme of the category that names the outlet (来源) an entry was first published by.
    static let outletScheme = "urn:tidings:outlet"

    /// Everything before the first entry.
    static func head(_ feed: FeedHeader, links: FeedLinks) -> [UInt8] {
        var xml = XMLBuilder()
        xml.open("feed", [("xmlns", namespace), ("xml:lang", feed.language)])
        xml.element("id", [], feed.feedID)                                   // §4.2.6
        xml.element("title", [("type", "text")], feed.title)                 // §4.2.14
        if let subtitle = feed.subtitle {
            xml.element("subtitle", [("type", "text")], subtitle)            // §4.2.12
        }
        xml.element("updated", [], feed.updated.rfc3339)                     // §4.2.15
        if let selfURL = links.absolute(FeedLinks.fileName(feed.stem, .atom)) {
            xml.element("link", [("rel", "self"), ("type", FeedFormat.atom.mediaType), ("href", selfURL.absoluteString)])
            if let hub = links.hubURL { xml.element("link", [("rel", "hub"), ("href", hub)]) }   // WebSub §4
        }
        if let site = feed.siteURL {
            xml.element("link", [("rel", "alternate"), ("type", "text/html"), ("href", site)])
        }
        xml.open("author")                                                   // §4.2.1
        xml.element("name", [], feed.authorName)
        if let site = feed.siteURL { xml.element("uri", [], site) }
        xml.close()
        xml.element("generator", [("version", TidingsVersion.current)], "Tidings")  // §4.2.4
        if let icon = feed.icon { xml.element("icon", [], icon) }            // §4.2.5
        return xml.bytes
    }

    static let foot = Array("</feed>\n".utf8)

    /// One entry of a feed whose language is `feedLanguage`, with the other copies of the story.
    static func append(_ entry: RenderedEntry, feedLanguage: String?, related: [String], to output: inout [UInt8]) {
        let language = entry.language == feedLanguage ? nil : entry.language
        var start = XMLBuilder(fragmentAt: 1)
        start.open("entry", [("xml:lang", language)])
        output.append(contentsOf: start.take())
        guard !related.isEmpty else {
            output.append(contentsOf: entry.atom)
            return
        }
        output.append(contentsOf: entry.atom[..<entry.atomRelatedOffset])
        var links = XMLBuilder(fragmentAt: 2)
        for link in related {
            links.element("link", [("rel", "related"), ("type", "text/html"), ("href", link)])
        }
        output.append(contentsOf: links.bytes)
        output.append(contentsOf: entry.atom[entry.atomRelatedOffset...])
    }

    /// The children and end tag of an entry, and where its related links go.
    static func entryBody(_ entry: EntryView) -> ([UInt8], Int) {
        var xml = XMLBuilder(fragmentAt: 2)
        xml.element("id", [], entry.id)
        xml.element("title", [("type", "text")], entry.title)
        xml.element("published", [], entry.published.rfc3339)               // §4.2.9
        xml.element("updated", [], entry.updated.rfc3339)
        for author in entry.authors {
            xml.open("author")
            xml.element("name", [], author)
            xml.close()
        }
        if let link = entry.link {
            xml.element("link", [("rel", "alternate"), ("type", "text/html"), ("href", link)])
        }
        let relatedOffset = xml.bytes.count
        if let image = entry.image {
            xml.element("link", [("rel", "enclosure"), ("type", entry.imageType), ("href", image)])
        }
        xml.element("category", [("term", entry.sourceTitle), ("label", entry.sourceTitle)])
        for keyword in entry.keywords { xml.element("category", [("term", keyword)]) }
        if let outlet = entry.outlet {
            xml.element("category", [("term", outlet), ("scheme", outletScheme), ("label", outlet)])
        }
        if let summary = entry.summary {
            xml.element("summary", [("type", "text")], summary)
        }
        xml.element("content", [("type", "html"), ("xml:base", entry.pageURL)], entry.contentHTML)  // §4.1.3
        var bytes = xml.take()
        bytes.append(contentsOf: "  </entry>\n".utf8)
        return (bytes, relatedOffset)
    }
}
