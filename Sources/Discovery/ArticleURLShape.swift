import Foundation

/// What a URL's shape says about the page behind it, before anyone fetches it.
enum ArticleURLShape: Equatable {
    /// Looks like one article: a date in the path, a long id, `content_123.html`, a slug.
    case article
    /// Says nothing either way (e.g. `/news/view`).
    case neutral
    /// A section, tag, author, search, login or pagination page, a file or an image.
    case notArticle

    /// Ids of this many digits or more name one item (CMS ids seen in the labelled set run
    /// 4–9 digits; years alone are 4 but come with a month).
    static let minimumIDDigits = 4
    /// `/blog/my-first-post/`: a slug of at least this many hyphen-joined words.
    static let minimumSlugWords = 3
    /// `?p=123` is a WordPress post; `?p=2` is more often a page number.
    static let minimumWordPressPostDigits = 3

    static let articleSegments: Set<String> = [
        "content", "contents", "article", "articles", "story", "stories", "detail", "details",
        "post", "posts", "doc", "docs", "a", "p", "show", "view", "html", "newsdetail",
    ]
    static let nonArticleSegments: Set<String> = [
        "tag", "tags", "category", "categories", "topic", "topics", "label",
        "login", "logon", "signin", "sign-in", "register", "signup", "sign-up", "logout", "search",
        "about", "about-us", "contact", "contact-us", "privacy", "terms", "help", "sitemap",
        "feed", "rss", "atom", "comments", "comment", "page", "subscribe", "newsletter", "account", "cart", "shop", "jubao", "ads", "advert",
    ]
    /// Section words under which any further segment names one item: `/shop` is a section, but
    /// `/shop/stone-pendant-necklace` and Squarespace's `/shop/zxx8gp49byrig0475…` are products
    /// (URBN and Squarespace shops among the unlabelled WCXB listing pages of devsplit/fit).
    static let storeSegments: Set<String> = ["shop"]
    /// People and their profiles: an id after these still names a person, not an article
    /// (XenForo `members/anna.1234/`, phpBB `memberlist.php?u=5`, `/user/123`).
    static let personSegments: Set<String> = [
        "author", "authors", "user", "users", "member", "members", "memberlist", "profile", "profiles",
    ]
    static let nonArticleExtensions: Set<String> = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "pdf", "doc", "docx", "xls", "xlsx", "ppt",
        "zip", "rar", "7z", "mp3", "mp4", "apk", "exe", "xml", "rss", "css", "js", "ico",
        "ogg", "oga", "ogv", "m4a", "aac", "wav", "flac", "webm", "mov", "m3u", "m3u8", "epub",
    ]
    /// Last path segments that are listing or home pages, including pagination
    /// (`index_2.html`, `list-3.shtml`, `default.aspx`).
    // nonisolated(unsafe): a Regex is never mutated after creation.
    /// `node_2.htm` is a page (版面) of the e-paper systems that name articles `content_….htm`.
    nonisolated(unsafe) static let indexPagePattern = #/^(index|default|list|home|main|node)([_-]?\d{1,3})?\.(s?html?|aspx?|php|jsp)$/#
    // nonisolated(unsafe): a Regex is never mutated after creation.
    /// `page-2`, `page_3.html`, `seite-4`: a numbered page of a listing.
    nonisolated(unsafe) static let pageNumberPattern = #/^(page|seite|pagina)[-_]?\d{1,4}(\.(s?html?|php|aspx?))?$/#
    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let yearPattern = #/(?:19|20)\d\d/#
    static let idQueryKeys: Set<String> = [
        "id", "aid", "nid", "tid", "did", "newsid", "articleid", "article_id", "contentid",
        "docid", "itemid", "story", "storyid", "p", "sid",
    ]
    static let paginationQueryKeys: Set<String> = ["page", "pageno", "pagenum", "pn", "paged", "start", "offset"]

    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let datePatterns: [Regex<Substring>] = [
        #/20\d\d[-/_.]?[01]\d[-/_.]?[0-3]\d/#,      // 20251128, 2025-11-28, 2025/11/28
        #/20\d\d/[01]?\d(?:/|$)/#,                   // 2025/11/ (year/month folders)
        #/20\d\d[01]\d/[0-3]\d/#,                  // 202511/28
        #/20\d\d/[01]\d[0-3]\d/#,                  // 2025/1128
        #/t20\d{6}_/#,                             // t20230617_123.html (gov portals)
    ]

    /// Classifies `url`. For `file:` URLs, pass the listing page's URL as `site`: the part of
    /// the path above the listing's folder is the disk layout, not the site's.
    static func classify(_ url: URL, site: URL? = nil) -> ArticleURLShape {
        var path = url.path
        if url.isFileURL, let site, site.isFileURL {
            let root = site.deletingLastPathComponent().path
            if path.hasPrefix(root) { path = String(path.dropFirst(root.count)) }
        }
        var segments = path.split(separator: "/").map { String($0).lowercased() }
        // A route in the query (`index.php?threads/old-recipes.22530/`, forums without rewritten
        // URLs) is the real path.
        if let query = url.query, !query.contains("="), query.contains("/") {
            segments += query.split(separator: "/").map { String($0).lowercased() }
        }
        let last = segments.last ?? ""
        let ext = last.contains(".") ? String(last.split(separator: ".").last ?? "") : ""
        let queryItems = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []

        if nonArticleExtensions.contains(ext) { return .notArticle }
        if isRedirect(url) { return .notArticle }
        // `/tag/swift/` is a tag page, `/topic/15662/bearings-dont-fit/` a forum thread: an id
        // after the section word names one item.
        // `search.php`, `member.php`, `memberlist.php`: a script named for a non-article page.
        if segments.contains(where: { personSegments.contains(Self.stem(of: $0)) }) { return .notArticle }
        if let section = segments.lastIndex(where: { nonArticleSegments.contains(Self.stem(of: $0)) }),
           !segments[(section + 1)...].contains(where: { longestDigitRun($0) >= minimumIDDigits && $0.wholeMatch(of: yearPattern) == nil }),
           !(storeSegments.contains(segments[section]) && section + 1 < segments.count) {
            return .notArticle
        }
        if last.wholeMatch(of: indexPagePattern) != nil && queryItems.isEmpty { return .notArticle }
        if last.wholeMatch(of: pageNumberPattern) != nil { return .notArticle }
        if queryItems.contains(where: { paginationQueryKeys.contains($0.name.lowercased()) }) { return .notArticle }

        let lowerPath = path.lowercased()
        if datePatterns.contains(where: { lowerPath.contains($0) }) && !segments.isEmpty && !last.isEmpty {
            return .article
        }
        if longestDigitRun(last) >= minimumIDDigits { return .article }
        if queryItems.contains(where: { item in
            let key = item.name.lowercased()
            let digits = longestDigitRun(item.value ?? "")
            return idQueryKeys.contains(key) && digits >= (key == "p" ? minimumWordPressPostDigits : 1)
        }) {
            return .article
        }
        let stem = ext.isEmpty ? last : String(last.dropLast(ext.count + 1))
        let slugWords = stem.split(whereSeparator: { $0 == "-" || $0 == "_" }).filter { $0.contains(where: \.isLetter) }
        if slugWords.count >= minimumSlugWords { return .article }
        if segments.count >= 2, articleSegments.contains(segments[segments.count - 2]), longestDigitRun(last) >= 1 {
            return .article
        }
        // "/", "/local/" are sections; a word-named leaf page at the root ("/vb.html") may be an essay.
        if segments.count <= 1 && queryItems.isEmpty && !URLTemplate.pageExtensions.contains(ext) && slugWords.count < 2 { return .notArticle }
        return .neutral
    }

    /// Click-counting and ad redirects carry the real target inside the URL
    /// (`/click/*http://…`, `?url=https%3A%2F%2F…`), as on the real portal pages of the
    /// bench corpus (cwce_zh: rd.… ad links beside every article).
    static func isRedirect(_ url: URL) -> Bool {
        let rest = (url.path + "?" + (url.query ?? "")).lowercased()
        return rest.contains("http://") || rest.contains("https://") || rest.contains("http%3a") || rest.contains("https%3a")
    }

    /// A segment without a page extension (`search.php` → `search`).
    static func stem(of segment: String) -> String {
        guard let dot = segment.lastIndex(of: "."), URLTemplate.pageExtensions.contains(String(segment[segment.index(after: dot)...])) else { return segment }
        return String(segment[..<dot])
    }

    static func longestDigitRun(_ text: String) -> Int {
        var best = 0, run = 0
        for c in text.unicodeScalars {
            if ("0"..."9").contains(c) { run += 1; best = max(best, run) } else { run = 0 }
        }
        return best
    }
}
