/// Words in class/id/role attributes that name article content or page furniture.
/// Generic web vocabulary (readability's and trafilatura's lists reworded), not site names.
enum ClassVocabulary {
    /// Word stems that mark furniture: a token starting with one of these counts.
    static let furnitureStems: [String] = [
        "comment", "share", "sharing", "social", "sidebar", "related", "recommend", "footer", "breadcrumb",
        "crumb", "advert", "sponsor", "promo", "newsletter", "subscri", "pagination", "pager", "copyright",
        "outbrain", "taboola", "disqus", "popup", "modal", "cookie", "navbar", "navigation", "masthead",
        "toolbar", "widget", "signup", "login", "trending", "popular", "byline", "dateline", "keyword",
        "tagcloud", "taglist", "hotnews", "rank", "author-info", "complementary", "banner", "menu",
    ]
    /// Whole tokens that mark furniture.
    static let furnitureTokens: Set<String> = [
        "nav", "ad", "ads", "adv", "tags", "tag", "foot", "side", "aside", "hot", "more", "print",
        "meta", "info", "share", "rss", "top", "bottom", "sns", "links", "contentinfo", "navigation",
        "extra", "footnote", "caption", "credit", "credits", "disclaimer", "editor", "source",
    ]
    /// Stems and tokens that mark the article itself.
    static let contentStems: [String] = ["article", "content", "entry", "story", "post-body", "zhengwen", "detail"]
    static let contentTokens: Set<String> = ["body", "main", "text", "post", "blog", "news", "artibody", "endtext", "txt", "con", "cont"]

    static func weight(of words: String) -> Int8 {
        var negative = false
        var positive = false
        for raw in words.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let token = String(raw)
            if furnitureTokens.contains(token) || furnitureStems.contains(where: { token.hasPrefix($0) }) {
                negative = true
            } else if contentTokens.contains(token) || contentStems.contains(where: { token.hasPrefix($0) }) {
                positive = true
            }
        }
        if negative && !positive { return -1 }
        if positive && !negative { return 1 }
        return 0
    }
}
