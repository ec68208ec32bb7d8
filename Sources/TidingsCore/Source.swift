import Foundation

/// One news source, defined by a file in `feeds/`: where to look and how often.
public struct Source: Sendable, Hashable, Codable {
    /// The file name without `.toml`; names the feed files (`public/<id>.atom`).
    public var id: String
    public var title: String
    /// A listing page, a home page, or a site's own feed (http, https or file).
    public var url: URL
    /// How often to refresh, in seconds.
    public var every: TimeInterval
    public var language: String?
    /// IANA zone for dates printed without an offset (e.g. "Asia/Shanghai").
    public var timeZone: String?
    /// Entries kept in the feed.
    public var keep: Int
    public var discover: DiscoverRules
    public var extract: ExtractRules
    public var fetch: FetchRules
    /// Which stored articles the feed shows (`[filter]`).
    public var filter: FilterRules
    /// Pages built by JavaScript: rendered in headless Chromium (`render = true` or `"listing"`); nil: fetched only.
    public var render: RenderMode?
    /// How image URLs reach readers (`images`); nil takes the setting of tidings.toml.
    public var images: ImagesMode?

    public init(id: String, title: String, url: URL, every: TimeInterval = 3600,
                language: String? = nil, timeZone: String? = nil, keep: Int = 100,
                discover: DiscoverRules = .init(), extract: ExtractRules = .init(), fetch: FetchRules = .init(),
                filter: FilterRules = .init()) {
        self.fetch = fetch
        self.filter = filter
        self.id = id
        self.title = title
        self.url = url
        self.every = every
        self.language = language
        self.timeZone = timeZone
        self.keep = keep
        self.discover = discover
        self.extract = extract
    }
}

/// Which of a source's pages are rendered in a browser before discovery and extraction.
public enum RenderMode: String, Sendable, Hashable, Codable {
    /// `render = "listing"`: the listing only; articles are fetched as they are.
    case listing
    /// `render = true`: the listing and every article.
    case all

    public var rendersArticles: Bool { self == .all }
}

/// Optional `[discover]` table: how to find article links on the listing page.
public struct DiscoverRules: Sendable, Hashable, Codable {
    /// CSS or XPath (XPath when it starts with `/` or `./`) selecting the article links.
    public var links: String?
    /// The most article links taken from one listing page.
    public var limit: Int?
    /// A sitemap (or Google News sitemap) to take article links from as well. Without it,
    /// the `Sitemap:` lines of robots.txt are tried when the page yields no links.
    public var sitemap: URL?

    public init(links: String? = nil, limit: Int? = nil, sitemap: URL? = nil) {
        self.links = links
        self.limit = limit
        self.sitemap = sitemap
    }
}

/// Optional `[extract]` table: overrides for the article page.
public struct ExtractRules: Sendable, Hashable, Codable {
    public var content: String?
    public var title: String?
    public var date: String?
    public var author: String?
    public var remove: [String]

    public init(content: String? = nil, title: String? = nil, date: String? = nil,
                author: String? = nil, remove: [String] = []) {
        self.content = content
        self.title = title
        self.date = date
        self.author = author
        self.remove = remove
    }
}

/// Optional `[fetch]` table: how to ask this source's site for pages.
public struct FetchRules: Sendable, Hashable, Codable {
    /// Extra request headers, e.g. `{ "Accept-Language" = "zh-CN" }`.
    public var headers: [String: String]
    /// A `Cookie` header value, e.g. `"region=sh; consent=1"`.
    public var cookies: String?
    public var referer: String?
    /// False opts this source out of robots.txt (only for sites that allow it otherwise).
    public var obeysRobots: Bool
    /// Seconds between two requests to this source's host (overrides the global gap).
    public var hostGap: TimeInterval?

    public init(headers: [String: String] = [:], cookies: String? = nil, referer: String? = nil,
                obeysRobots: Bool = true, hostGap: TimeInterval? = nil) {
        self.headers = headers
        self.cookies = cookies
        self.referer = referer
        self.obeysRobots = obeysRobots
        self.hostGap = hostGap
    }
}
