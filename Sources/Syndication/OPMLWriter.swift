/// `feeds.opml` (OPML 2.0 subscription list): one outline per source, pointing at its Atom
/// feed, so a reader can subscribe to everything at once.
enum OPMLWriter {
    static func document(title: String, feeds: [FeedDocument], links: FeedLinks) -> String {
        var xml = XMLBuilder()
        xml.open("opml", [("version", "2.0")])
        xml.open("head")
        xml.element("title", [], title)
        xml.close()
        xml.open("body")
        for feed in feeds {
            xml.element("outline", [
                ("type", "rss"),
                ("text", feed.title),
                ("title", feed.title),
                ("xmlUrl", links.reference(FeedLinks.fileName(feed.stem, .atom))),
                ("htmlUrl", feed.siteURL),
                ("language", feed.language),
            ])
        }
        xml.close()
        xml.close()
        return xml.text
    }
}
