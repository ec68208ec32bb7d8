/// Words in class/id/role attributes that name article content or page furniture.
/// Generic web vocabulary (readability's and trafilatura's lists reworded), not site names.
/// Matching works on the attribute bytes: tokens are runs of ASCII letters and digits, compared
/// case-insensitively.
enum ClassVocabulary {
    /// Word stems that mark furniture: a token starting with one of these counts.
    static let furnitureStems: [String] = [
        "comment", "share", "sharing", "social", "sidebar", "related", "recommend", "footer", "breadcrumb",
        "crumb", "advert", "sponsor", "promo", "newsletter", "subscri", "pagination", "pager", "copyright",
        "outbrain", "taboola", "disqus", "popup", "modal", "cookie", "navbar", "navigation", "masthead",
        "toolbar", "widget", "signup", "login", "trending", "popular", "byline", "dateline", "keyword",
        "tagcloud", "taglist", "hotnews", "rank", "complementary", "banner", "menu",
    ]
    /// Whole tokens that mark furniture.
    static let furnitureTokens: [String] = [
        "nav", "ad", "ads", "adv", "tags", "tag", "foot", "side", "aside", "hot", "more", "print",
        "meta", "info", "share", "rss", "top", "bottom", "sns", "links", "contentinfo", "navigation",
        "extra", "footnote", "caption", "credit", "credits", "disclaimer", "editor", "source",
    ]
    /// Stems and tokens that mark the article itself.
    static let contentStems: [String] = ["article", "content", "entry", "story", "zhengwen", "detail"]
    static let contentTokens: [String] = ["body", "main", "text", "post", "blog", "news", "artibody", "endtext", "txt", "con", "cont"]

    private static let furnitureStemBytes = furnitureStems.map { Array($0.utf8) }
    private static let furnitureTokenBytes = furnitureTokens.map { Array($0.utf8) }
    private static let contentStemBytes = contentStems.map { Array($0.utf8) }
    private static let contentTokenBytes = contentTokens.map { Array($0.utf8) }

    static func weight(of words: String) -> Int8 {
        var bytes = Array(words.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { weight(of: [$0.baseAddress!]) }
    }

    /// Weighs the NUL-terminated attribute values together.
    static func weight(of values: [UnsafePointer<UInt8>]) -> Int8 {
        var negative = false
        var positive = false
        var token = [UInt8]()
        token.reserveCapacity(32)
        func finish() {
            guard !token.isEmpty else { return }
            if matches(token, exact: furnitureTokenBytes, stems: furnitureStemBytes) {
                negative = true
            } else if matches(token, exact: contentTokenBytes, stems: contentStemBytes) {
                positive = true
            }
            token.removeAll(keepingCapacity: true)
        }
        for value in values {
            var p = value
            while p.pointee != 0 {
                var b = p.pointee
                if b >= 65 && b <= 90 { b += 32 }
                if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) { token.append(b) } else { finish() }
                p += 1
            }
            finish()
        }
        if negative && !positive { return -1 }
        if positive && !negative { return 1 }
        return 0
    }

    private static func matches(_ token: [UInt8], exact: [[UInt8]], stems: [[UInt8]]) -> Bool {
        for word in exact where word.count == token.count && word == token { return true }
        for stem in stems where stem.count <= token.count && stem[0] == token[0] {
            var k = 1
            while k < stem.count && stem[k] == token[k] { k += 1 }
            if k == stem.count { return true }
        }
        return false
    }
}
