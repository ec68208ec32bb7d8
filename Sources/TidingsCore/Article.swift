import Foundation

/// What the Extractor makes of an article page: normalized metadata and a clean body.
public struct Article: Sendable, Hashable, Codable {
    /// The page's own URL (after redirects; never its `<base href>`).
    public var url: URL
    /// The URL the article is known by: chosen by Discovery's `ArticleIdentity` (the canonical
    /// hint when trusted, else `url`); `url` until then.
    public var canonicalURL: URL
    /// What the page declares itself to be (`rel=canonical`, else `og:url`), as Extraction found it.
    public var canonicalHint: URL?
    public var title: String
    public var author: String?
    public var published: Timestamp?
    /// The outlet that first published the story (来源), when the page names one.
    public var outlet: String?
    /// BCP 47 language tag, e.g. "zh-CN" or "en".
    public var language: String?
    public var leadImage: URL?
    /// The sanitized body as HTML (allowlisted tags, absolute URLs).
    public var html: String
    /// The body as plain text, paragraphs separated by blank lines.
    public var text: String
    /// A short plain-text summary.
    public var summary: String
    /// The page's own keywords or tags (meta keywords, JSON-LD, article:tag), in page order.
    public var keywords: [String]?
    /// SimHash of the text, for spotting the same story republished elsewhere (nil when the
    /// text is too short to judge).
    public var fingerprint: UInt64?

    public init(url: URL, canonicalURL: URL? = nil, title: String, author: String? = nil,
                published: Timestamp? = nil, outlet: String? = nil, language: String? = nil,
                leadImage: URL? = nil, html: String, text: String, summary: String = "") {
        self.url = url
        self.canonicalURL = canonicalURL ?? url
        self.title = title
        self.author = author
        self.published = published
        self.outlet = outlet
        self.language = language
        self.leadImage = leadImage
        self.html = html
        self.text = text
        self.summary = summary
    }
}

/// An article as it appears in a feed: a stable id and the times readers see.
public struct FeedEntry: Sendable, Hashable, Codable {
    /// A `tag:` URI minted once from the first canonical URL; never changes.
    public var id: String
    public var sourceID: String
    public var article: Article
    /// When Tidings first stored the article.
    public var firstSeen: Timestamp
    /// Changes only when the article's text changes significantly.
    public var updated: Timestamp
    /// Where else the same story was published (other sources' links), in the combined feed.
    public var relatedLinks: [URL] = []

    public init(id: String, sourceID: String, article: Article, firstSeen: Timestamp, updated: Timestamp) {
        self.id = id
        self.sourceID = sourceID
        self.article = article
        self.firstSeen = firstSeen
        self.updated = updated
    }

    /// The time a reader should sort by: the article's own time, else when it was found.
    public var sortTime: Timestamp { article.published ?? firstSeen }
}
