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

    /// Word lists bucketed by first letter (a–z, digits in bucket 26), so a token is compared
    /// only with the words that can match it.
    private static func buckets(_ words: [String]) -> [[[UInt8]]] {
        var result = [[[UInt8]]](repeating: [], count: 27)
        for word in words {
            let bytes = Array(word.utf8)
            result[bucket(bytes[0])].append(bytes)
        }
        return result
    }

    @inline(__always) private static func bucket(_ lowered: UInt8) -> Int {
        lowered >= 97 && lowered <= 122 ? Int(lowered - 97) : 26
    }

    private static let furnitureStemBytes = buckets(furnitureStems)
    private static let furnitureTokenBytes = buckets(furnitureTokens)
    private static let contentStemBytes = buckets(contentStems)
    private static let contentTokenBytes = buckets(contentTokens)

    static func weight(of words: String) -> Int8 {
        var bytes = Array(words.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { weight(class: $0.baseAddress!, id: nil, role: nil) }
    }

    /// Weighs the NUL-terminated attribute values together, without allocating.
    static func weight(class c: UnsafePointer<UInt8>?, id: UnsafePointer<UInt8>?, role: UnsafePointer<UInt8>?) -> Int8 {
        var negative = false
        var positive = false
        func scan(_ value: UnsafePointer<UInt8>?) {
            guard var p = value else { return }
            while p.pointee != 0 {
                while p.pointee != 0 && !isWordByte(p.pointee) { p += 1 }
                let start = p
                while isWordByte(p.pointee) { p += 1 }
                let length = start.distance(to: p)
                guard length > 0 else { continue }
                let token = UnsafeBufferPointer(start: start, count: length)
                if matches(token, exact: furnitureTokenBytes, stems: furnitureStemBytes) {
                    negative = true
                } else if matches(token, exact: contentTokenBytes, stems: contentStemBytes) {
                    positive = true
                }
            }
        }
        scan(c)
        scan(id)
        scan(role)
        if negative && !positive { return -1 }
        if positive && !negative { return 1 }
        return 0
    }

    @inline(__always) private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57)
    }

    @inline(__always) private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    private static func matches(_ token: UnsafeBufferPointer<UInt8>, exact allExact: [[[UInt8]]], stems allStems: [[[UInt8]]]) -> Bool {
        let first = lower(token[0])
        let exact = allExact[bucket(first)], stems = allStems[bucket(first)]
        for word in exact where word.count == token.count {
            var k = 1
            while k < word.count && word[k] == lower(token[k]) { k += 1 }
            if k == word.count { return true }
        }
        for stem in stems where stem.count <= token.count {
            var k = 1
            while k < stem.count && stem[k] == lower(token[k]) { k += 1 }
            if k == stem.count { return true }
        }
        return false
    }
}
