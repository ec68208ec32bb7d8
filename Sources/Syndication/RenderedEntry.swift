import TidingsCore

/// One entry written once for every format, ready to be copied into a source's feed and into
/// the combined feed: publishing a feed is then writing its header and copying bytes.
public struct RenderedEntry: Sendable {
    /// The entry id as the feeds carry it.
    public var id: String
    /// The entry's language (BCP 47), written on the Atom `<entry>` when it differs from the feed's.
    public var language: String?
    public var updated: Timestamp
    /// The cleaned title and the link, for the index page's "newest" line.
    public var title: String
    public var link: String?
    /// Atom: the children of `<entry>` and its end tag, at their depth in a feed; the start
    /// tag is written with the feed, since `xml:lang` depends on the feed's own language.
    var atom: [UInt8]
    /// Where `<link rel="related">` elements go in `atom` (after the alternate link).
    var atomRelatedOffset: Int
    /// RSS 2.0: the whole `<item>`, at its depth in a feed.
    var rss: [UInt8]
    /// JSON Feed: the item object at its depth in `items`, without a separator.
    var json: [UInt8]

    /// Bytes held, for keeping a cache of renderings bounded.
    public var byteCount: Int { atom.count + rss.count + json.count + id.utf8.count + title.utf8.count }

    /// Renders `entry`, whose source is titled `sourceTitle`.
    public init(_ entry: FeedEntry, sourceTitle: String) {
        self.init(view: EntryView(entry: entry, sourceTitle: sourceTitle))
    }

    init(view: EntryView) {
        id = view.id
        language = view.language
        updated = view.updated
        title = view.title
        link = view.link
        (atom, atomRelatedOffset) = AtomWriter.entryBody(view)
        rss = RSSWriter.item(view)
        json = JSONFeedWriter.item(view)
    }
}
