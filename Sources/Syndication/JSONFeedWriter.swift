import TidingsCore

/// JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the same entries and ids as the Atom feed.
enum JSONFeedWriter {
    static let version = "https://jsonfeed.org/version/1.1"

    static func document(_ feed: FeedDocument, links: FeedLinks) -> String {
        let feedURL = links.absolute(FeedLinks.fileName(feed.stem, .json))?.absoluteString
        let root = JSONValue.members([
            ("version", .string(version)),
            ("title", .string(feed.title)),
            ("home_page_url", feed.siteURL.map(JSONValue.string)),
            ("feed_url", feedURL.map(JSONValue.string)),
            // JSON Feed 1.1 `hubs`, only beside a feed_url (WebSub needs the topic's own URL).
            ("hubs", feedURL == nil ? nil : links.hubURL.map { .array([.members([("type", .string("WebSub")), ("url", .string($0))])]) }),
            ("description", feed.subtitle.map(JSONValue.string)),
            ("icon", feed.icon.map(JSONValue.string)),
            ("favicon", feed.icon.map(JSONValue.string)),
            ("authors", .array([author(feed.authorName, url: feed.siteURL)])),
            ("language", feed.language.map(JSONValue.string)),
            ("items", .array(feed.entries.map(item))),
        ])
        return root.text
    }

    private static func item(_ entry: EntryView) -> JSONValue {
        var tags = [JSONValue.string(entry.sourceTitle)]
        if let outlet = entry.outlet { tags.append(.string(outlet)) }
        tags.append(contentsOf: entry.keywords.map(JSONValue.string))
        return .members([
            ("id", .string(entry.id)),
            ("url", entry.link.map(JSONValue.string)),
            ("title", .string(entry.title)),
            ("content_html", .string(entry.contentHTML)),
            ("summary", entry.summary.map(JSONValue.string)),
            ("image", entry.image.map(JSONValue.string)),
            ("date_published", .string(entry.published.rfc3339)),
            ("date_modified", .string(entry.updated.rfc3339)),
            ("authors", entry.authors.isEmpty ? nil : .array(entry.authors.map { author($0, url: nil) })),
            ("tags", .array(tags)),
            ("language", entry.language.map(JSONValue.string)),
        ])
    }

    private static func author(_ name: String, url: String?) -> JSONValue {
        .members([("name", .string(name)), ("url", url.map(JSONValue.string))])
    }
}
