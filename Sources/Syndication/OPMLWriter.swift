import TidingsCore

/// `feeds.opml` (OPML 2.0 subscription list): one outline per source, pointing at its Atom
/// feed, so a reader can subscribe to everything at once.
enum OPMLWriter {
    struct Outline {
        var stem: String
        var title: String
        var siteURL: String?
        var language: String?

        init(source: Source) {
            stem = source.id
            title = FeedHeader.title(of: source)
            siteURL = FeedLinks.webURL(source.url)
            language = LanguageTag.normalized(source.language)
        }
    }

    static func document(title: String, outlines: [Outline], links: FeedLinks) -> [UInt8] {
        var xml = XMLBuilder()
        xml.open("opml", [("version", "2.0")])
        xml.open("head")
        xml.element("title", [], title)
        xml.close()
        xml.open("body")
        for outline in outlines {
            xml.element("outline", [
                ("type", "rss"),
                ("text", outline.title),
                ("title", outline.title),
                ("xmlUrl", links.reference(FeedLinks.fileName(outline.stem, .atom))),
                ("htmlUrl", outline.siteURL),
                ("language", outline.language),
            ])
        }
        xml.close()
        xml.close()
        return xml.bytes
    }
}
