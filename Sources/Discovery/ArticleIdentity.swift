import Extraction
import Foundation
import TidingsCore

/// Which article a fetched page is: the one place identity is decided. Extraction reports the
/// page's own canonical hint (`Article.canonicalHint`); the Store keeps what this says.
public struct ArticleIdentity: Sendable, Hashable {
    /// The URL feeds link to and the entry's `tag:` id is minted from: the page's canonical
    /// hint when it can be trusted, else the fetched URL; tracking parameters removed.
    public var canonicalURL: URL
    /// Two pages with one key are one entry; the Store merges only on it.
    public var key: String
    /// Why the page's canonical hint was not used, when it had one.
    public var ignoredHint: String?
}

/// Decides the identity of the articles fetched in one refresh from their links, the URLs they
/// were fetched from (after redirects, never `<base href>`) and their canonical hints.
public struct IdentityResolver: Sendable {
    /// One fetched article page.
    public struct Page: Sendable {
        public var link: DiscoveredLink
        public var fetchedURL: URL
        public var canonicalHint: URL?
        /// SimHash of the page's text (`Article.fingerprint`), nil when too short to judge.
        public var fingerprint: UInt64?

        public init(link: DiscoveredLink, fetchedURL: URL, canonicalHint: URL?, fingerprint: UInt64? = nil) {
            self.link = link
            self.fetchedURL = fetchedURL
            self.canonicalHint = canonicalHint
            self.fingerprint = fingerprint
        }
    }

    /// The listing pages the links came from: a canonical naming one of them comes from a
    /// template, not from the article.
    public let listingURLs: [URL]

    public init(listingURLs: [URL]) {
        self.listingURLs = listingURLs
    }

    /// The identities of `pages`, in order. A hint that several pages of the batch share while
    /// their own URLs and their texts differ names none of them (a template's canonical, or a
    /// "latest story" link): those pages keep their own URLs, so distinct articles never become
    /// one entry. The same text under two URLs with one canonical stays one entry.
    public func identities(of pages: [Page]) -> [ArticleIdentity] {
        let own = pages.map(ownIdentity)
        var identities = pages.map(identity)
        var claimants: [String: [Int]] = [:]
        for (i, identity) in identities.enumerated() { claimants[identity.key, default: []].append(i) }
        for (key, members) in claimants where Set(members.map { own[$0].key }).count > 1 {
            let prints = members.compactMap { pages[$0].fingerprint }
            let sameText = prints.count == members.count && prints.allSatisfy { a in
                prints.allSatisfy { b in SimHash.isNearDuplicate(a, b) }
            }
            if sameText { continue }
            for i in members where own[i].key != key {
                let shared = identities[i].canonicalURL.absoluteString
                identities[i] = own[i]
                identities[i].ignoredHint = "rel=canonical \(shared) names several different pages"
            }
        }
        return identities
    }

    /// Whether a page whose canonical hint names an entry stored earlier is that entry: only
    /// when their texts are near-duplicates (a copy under another URL). A different text means
    /// the hint is wrong, and `own` (the page's own identity) is kept, so the stored entry's
    /// content is never replaced by another article's.
    public func confirmed(_ identity: ArticleIdentity, own: ArticleIdentity, fingerprint: UInt64?,
                          storedFingerprint: UInt64?) -> ArticleIdentity {
        guard identity.key != own.key else { return identity }
        if let fingerprint, let storedFingerprint, SimHash.isNearDuplicate(fingerprint, storedFingerprint) { return identity }
        var result = own
        result.ignoredHint = "rel=canonical \(identity.canonicalURL.absoluteString) names a stored article with another text"
        return result
    }

    /// The identity of one page: its canonical hint when `hintProblem` finds none, else its own URL.
    public func identity(_ page: Page) -> ArticleIdentity {
        guard let hint = page.canonicalHint else { return ownIdentity(page) }
        if let problem = hintProblem(hint, page: page) {
            var identity = ownIdentity(page)
            identity.ignoredHint = "rel=canonical \(hint.absoluteString) \(problem)"
            return identity
        }
        return ArticleIdentity(canonicalURL: URLCanonicalizer.canonical(hint),
                               key: URLCanonicalizer.identityKey(hint, ignoring: page.link.ignoredParameters))
    }

    /// The page's identity from the URL it was fetched from: the link's own when fetching did
    /// not move (so the listing's constant parameters stay ignored), the final URL after a redirect.
    public func ownIdentity(_ page: Page) -> ArticleIdentity {
        let fetched = URLCanonicalizer.canonical(page.fetchedURL)
        return ArticleIdentity(canonicalURL: fetched,
                               key: URLCanonicalizer.identityKey(page.fetchedURL, ignoring: page.link.ignoredParameters))
    }

    /// Why `hint` cannot be this article's URL, or nil when it can.
    func hintProblem(_ hint: URL, page: Page) -> String? {
        guard let scheme = hint.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return "is not an http(s) URL" }
        guard SiteIdentity.isSameSite(hint, page.fetchedURL) else { return "is on another site" }
        let hintKey = URLCanonicalizer.identityKey(hint)
        let fetchedKey = URLCanonicalizer.identityKey(page.fetchedURL)
        if hintKey == fetchedKey { return nil }
        if Self.isHomePage(hint) && !Self.isHomePage(page.fetchedURL) { return "is the site's home page" }
        if listingURLs.contains(where: { URLCanonicalizer.identityKey($0) == hintKey }) { return "is the listing page" }
        let hintPath = Self.segments(hint), fetchedPath = Self.segments(page.fetchedURL)
        if hintPath.count < fetchedPath.count, Array(fetchedPath.prefix(hintPath.count)) == hintPath,
           ArticleURLShape.classify(hint) != .article {
            return "is a section above the article"
        }
        if hintPath == fetchedPath, ArticleURLShape.classify(hint) != .article {
            let kept = Self.queryNames(page.fetchedURL).subtracting(page.link.ignoredParameters)
            if !kept.isSubset(of: Self.queryNames(hint)) { return "drops the query parameters that tell this article apart" }
        }
        return nil
    }

    /// `/`, or one index file at the root (`/index.html`, `/default.aspx`), without a query.
    static func isHomePage(_ url: URL) -> Bool {
        let path = segments(url)
        guard (url.query ?? "").isEmpty else { return false }
        return path.isEmpty || (path.count == 1 && path[0].wholeMatch(of: ArticleURLShape.indexPagePattern) != nil)
    }

    static func segments(_ url: URL) -> [String] {
        URLCanonicalizer.canonical(url).path.split(separator: "/").map { $0.lowercased() }
    }

    /// Query parameter names that are not tracking, lower-cased.
    static func queryNames(_ url: URL) -> Set<String> {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQueryItems ?? []
        return Set(items.map { $0.name.lowercased() }.filter { !URLCanonicalizer.isTracking($0) })
    }
}
