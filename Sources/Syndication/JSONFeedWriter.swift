import TidingsCore

/// JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the same entries and ids as the Atom feed.
enum JSONFeedWriter {
    static let version = "https://jsonfeed.org/version/1.1"
    /// Items sit in the root object's `items` array: two levels in.
    static let itemDepth = 2

    /// Everything before the first item: the root object's members, then `"items": [`.
    static func head(_ feed: FeedHeader, links: FeedLinks) -> [UInt8] {
        let feedURL = links.absolute(FeedLinks.fileName(feed.stem, .json))?.absoluteString
        let members = JSONValue.members([
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
        ])
        guard case .object(let pairs) = members else { return [] }
        var output = Array("{\n".utf8)
        for (key, value) in pairs {
            JSONValue.indent(1, into: &output)
            JSONValue.string(key).write(into: &output, depth: 1)
            output += ": ".utf8
            value.write(into: &output, depth: 1)
            output += ",\n".utf8
        }
        JSONValue.indent(1, into: &output)
        output += "\"items\": [".utf8
        return output
    }

    /// Between `head` and the first item, and between two items.
    static func separator(first: Bool) -> [UInt8] {
        Array((first ? "\n" : ",\n").utf8) + Array(repeating: UInt8(ascii: " "), count: 2 * itemDepth)
    }

    /// The end: `]` on the items' line when there were none (`"items": []`).
    static func foot(hadItems: Bool) -> [UInt8] {
        Array((hadItems ? "\n  ]\n}\n" : "]\n}\n").utf8)
    }

    static func item(_ entry: EntryView) -> [UInt8] {
        var tags = [JSONValue.string(entry.sourceTitle)]
        if let outlet = entry.outlet { tags.append(.string(outlet)) }
        tags.append(contentsOf: entry.keywords.map(JSONValue.string))
        let value = JSONValue.members([
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
        var output: [UInt8] = []
        value.write(into: &output, depth: itemDepth)
        return output
    }

    private static func author(_ name: String, url: String?) -> JSONValue {
        .members([("name", .string(name)), ("url", url.map(JSONValue.string))])
    }
}
