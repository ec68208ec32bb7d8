/// Words in class/id/role attributes that name article content or page furniture.
/// Generic web vocabulary (readability's and trafilatura's lists reworded), not site names.
///
/// Matching is on whole tokens: an attribute value splits at every character that is not an
/// ASCII letter or digit, between a lower-case and an upper-case letter (`relatedPosts`), and
/// between letters and digits (`sidebar2`); tokens compare case-insensitively. A word never
/// matches inside a longer one (`shared`, `sharing-economy`, `commentary` name no share bar or
/// comment thread), and two kinds of names carry no weight at all: ids of four or more tokens
/// (slugs made from headings, `how-your-data-is-shared`) and WordPress taxonomy classes
/// (`tag-social-media`, `category-comments`), whose words are the site's topics. In a compound
/// name the last known word decides (`post-comments` names comments, `entry-content` content).
public enum ClassVocabulary {
    /// Whole tokens that mark the furniture that can outgrow an article: comment threads,
    /// sidebars, related-story and advertising modules, navigation. An element named so is
    /// left out however much text it holds (a 63-comment thread beside a 500-character post).
    static let strongFurnitureTokens: [String] = [
        "comment", "comments", "commentlist", "disqus", "respond", "replies",
        "sidebar", "sidebars", "aside", "footer", "colophon", "related", "recommended", "recommendation",
        "recommendations", "recirc", "recirculation", "outbrain", "taboola", "zergnet",
        "nav", "navbar", "navigation", "menu", "submenu", "breadcrumb", "breadcrumbs",
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense", "sponsor", "sponsored",
    ]
    /// Whole tokens that mark other furniture: share bars, newsletter and sign-up boxes, tag
    /// lists, bylines. Left out only while they hold less than half of the page's text
    /// (`Heuristics.weakFurnitureMaximumTextShare`).
    static let furnitureTokens: [String] = [
        "crumb", "crumbs", "share", "shares", "sharebar", "sharethis", "addthis", "social", "sns",
        "newsletter", "subscribe", "subscription", "signup", "login", "cta",
        "promo", "promos", "promotion", "popup", "modal", "cookie", "cookies", "consent",
        "masthead", "toolbar", "topbar", "pagination", "pager",
        "copyright", "trending", "popular", "tag", "tags", "tagcloud", "taglist", "keyword", "keywords", "rss",
        "complementary", "contentinfo", "byline", "dateline", "caption", "captions", "credit", "credits",
        "hot", "hotnews", "rank", "ranking",
    ]
    /// Tokens that mark the article itself (whole tokens)…
    static let contentTokens: [String] = [
        "body", "main", "text", "post", "blog", "news", "artibody", "endtext", "zhengwen", "txt", "con", "cont", "detail",
    ]
    /// …and word beginnings that do (`articlebody`, `contentarea`, `entrytext`, `storycontent`).
    static let contentStems: [String] = ["article", "content", "entry", "story"]

    /// Class names whose later tokens are a WordPress taxonomy slug (`tag-…`, `category-…`).
    public static let taxonomyPrefixes: [String] = ["tag", "category", "categories", "topic", "topics"]
    /// An id of this many tokens or more is a slug of a heading or a generated name (fitted on
    /// the wcxb fit half: component ids have one to three words, heading anchors four or more).
    static let slugTokenCount = 4

    private static let contentStemBytes = contentStems.map { Array($0.utf8) }
    /// Words that join two names into a wrapper of both (`post-and-sidebar`) or, last in a
    /// name, make it a layout wrapper (`content-sidebar-wrap`).
    private static let joinTokens = ["and", "with", "plus"]
    private static let layoutTokens = ["wrap", "wrapper", "container", "layout", "holder", "inner", "outer", "div",
                                       "grid", "row", "col", "column", "columns", "area", "block", "box", "group"]
    /// First words of state and variant classes (`is-style-sidebar`, `has-sidebar`, `is-sticky`):
    /// they say how a box looks or what it has, not what it is; inside a name, `has` joins like
    /// `with` (`content-has-sidebar`).
    private static let modifierTokens = ["is", "has"]
    /// A word that, before a furniture word, describes a layout (`c-layout-sidebar-left`).
    private static let layoutDescribingTokens = ["layout"]
    private static let vocabulary = WordTable([
        (strongFurnitureTokens, .strongFurniture), (furnitureTokens, .furniture), (contentTokens, .content),
        (taxonomyPrefixes, .taxonomy), (joinTokens, .join), (layoutTokens, .layout), (modifierTokens, .modifier),
        (layoutDescribingTokens, .describesLayout),
    ])

    /// +1 when the names mark content only, -1 when they mark furniture only (-2 when one of
    /// the names is strong furniture), else 0.
    static func weight(of words: String) -> Int8 {
        var bytes = Array(words.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { weight(class: $0.baseAddress!, id: nil, role: nil) }
    }

    /// True when one of the space-separated names is furniture words ending in a layout word
    /// (`sidebar-container`, `comments-wrap`): the box of that furniture, or a layout box named
    /// after the columns it holds; its contents tell which.
    static func namesFurnitureBox(_ value: String) -> Bool {
        value.split(separator: " ").contains { name in
            let words = tokens(of: String(name))
            guard words.count >= 2, let last = words.last, layoutTokens.contains(last) else { return false }
            return words.dropLast().contains { strongFurnitureTokens.contains($0) || furnitureTokens.contains($0) }
        }
    }

    /// The lower-cased tokens of one attribute value, split as described above.
    static func tokens(of value: String) -> [String] {
        var bytes = Array(value.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            var result: [String] = []
            forEachName(buffer.baseAddress!, splitAtSpaces: false) { name in
                for k in 0..<name.stored {
                    let t = name[k]
                    result.append(String(decoding: UnsafeBufferPointer(start: t.start, count: t.length), as: UTF8.self).lowercased())
                }
            }
            return result
        }
    }

    /// Weighs the NUL-terminated attribute values together, without allocating.
    static func weight(class c: UnsafePointer<UInt8>?, id: UnsafePointer<UInt8>?, role: UnsafePointer<UInt8>?) -> Int8 {
        var negative = false
        var strong = false
        var positive = false
        // A compound name is what its last weighed word says (`post-comments` is a comment
        // thread, `entry-footer` a footer), except that a content word never overrides a strong
        // furniture word before it (`comment-content` is a comment's text), unless it names
        // a wrapper of both (`post-and-sidebar`, `inline-and-sidebar-container`,
        // `content-sidebar-wrap`): then it says nothing.
        func weigh(_ name: TokenList) {
            var last: Int8 = 0
            var sawContent = false, sawFurniture = false, joins = false, joinWord = false, furnitureAfterJoin = false
            for k in 0..<name.stored {
                let token = name[k]
                let lists = vocabulary.lists(of: token)
                if lists.contains(.strongFurniture) {
                    last = -2
                    sawFurniture = true
                    furnitureAfterJoin = furnitureAfterJoin || joinWord
                } else if lists.contains(.furniture) {
                    last = -1
                    sawFurniture = true
                    furnitureAfterJoin = furnitureAfterJoin || joinWord
                } else if lists.contains(.content) || contentStemBytes.contains(where: { token.starts(with: $0) }) {
                    // the content of a comment thread or a sidebar is still that furniture
                    // (`comments-body`, `commentText`, `sidebar-content`)
                    if last != -2 { last = 1 }
                    sawContent = true
                } else if lists.contains(.join) || lists.contains(.modifier) || (lists.contains(.describesLayout) && !sawFurniture) {
                    joins = true
                    joinWord = true
                } else if k == name.stored - 1 && lists.contains(.layout) {
                    joins = true
                }
            }
            // `inline-and-sidebar-container`, `main-with-sidebar`: furniture joined on to another
            // part names a wrapper of both, whatever that part is called (bhf.org.uk's article
            // column); `cta-block-with-background` is still a call to action.
            if furnitureAfterJoin || (sawContent && sawFurniture && joins) { return }
            if last > 0 { positive = true } else if last < 0 { negative = true; if last == -2 { strong = true } }
        }
        if let c {
            forEachName(c, splitAtSpaces: true) { name in
                if name.count > 1, !vocabulary.lists(of: name[0]).isDisjoint(with: [.taxonomy, .modifier]) { return }
                weigh(name)
            }
        }
        if let id {
            forEachName(id, splitAtSpaces: false) { name in
                if name.count < slugTokenCount { weigh(name) }
            }
        }
        if let role { forEachName(role, splitAtSpaces: true, weigh) }
        if negative && !positive { return strong ? -2 : -1 }
        if positive && !negative { return 1 }
        return 0
    }

    /// A token: a run of the attribute's bytes (compared case-insensitively).
    struct Token {
        var start: UnsafePointer<UInt8>
        var length: Int

        /// FNV-1a of the lower-cased bytes.
        var hash: UInt64 {
            var h: UInt64 = 0xcbf29ce484222325
            for k in 0..<length { h = (h ^ UInt64(ClassVocabulary.lower(start[k]))) &* 0x100000001b3 }
            return h
        }

        func equals(_ word: [UInt8]) -> Bool {
            guard word.count == length else { return false }
            for k in 0..<length where ClassVocabulary.lower(start[k]) != word[k] { return false }
            return true
        }

        func starts(with stem: [UInt8]) -> Bool {
            guard stem.count <= length else { return false }
            for k in 0..<stem.count where ClassVocabulary.lower(start[k]) != stem[k] { return false }
            return true
        }
    }

    /// The first tokens of one name (more than `capacity` tokens make a name nothing matches
    /// as a whole anyway: it is longer than any slug limit).
    struct TokenList {
        static let capacity = 8
        private var storage: (Token?, Token?, Token?, Token?, Token?, Token?, Token?, Token?) = (nil, nil, nil, nil, nil, nil, nil, nil)
        private(set) var count = 0

        subscript(_ k: Int) -> Token {
            switch k {
            case 0: return storage.0!
            case 1: return storage.1!
            case 2: return storage.2!
            case 3: return storage.3!
            case 4: return storage.4!
            case 5: return storage.5!
            case 6: return storage.6!
            default: return storage.7!
            }
        }

        mutating func append(_ t: Token) {
            switch count {
            case 0: storage.0 = t
            case 1: storage.1 = t
            case 2: storage.2 = t
            case 3: storage.3 = t
            case 4: storage.4 = t
            case 5: storage.5 = t
            case 6: storage.6 = t
            case 7: storage.7 = t
            default: count += 1; return
            }
            count += 1
        }

        /// Tokens beyond the capacity are counted, not stored.
        var stored: Int { min(count, Self.capacity) }
    }

    /// The lists a word is on.
    struct Lists: OptionSet {
        let rawValue: UInt8
        static let strongFurniture = Lists(rawValue: 1 << 0)
        static let furniture = Lists(rawValue: 1 << 1)
        static let content = Lists(rawValue: 1 << 2)
        static let taxonomy = Lists(rawValue: 1 << 3)
        static let join = Lists(rawValue: 1 << 4)
        static let layout = Lists(rawValue: 1 << 5)
        static let modifier = Lists(rawValue: 1 << 6)
        static let describesLayout = Lists(rawValue: 1 << 7)
    }

    /// Every lower-case word of the lists once, with the lists it is on, in an open-addressed
    /// table keyed by the token's FNV-1a hash: one hash and one probe per token, where one
    /// Dictionary per list hashed every token again per list (weighing class names was 4.5%
    /// of the extraction bench's time).
    struct WordTable {
        private var hashes: [UInt64]
        /// Index into `words` plus one; 0 is an empty slot.
        private var slots: [Int32]
        private var words: [(bytes: [UInt8], lists: Lists)] = []
        private let mask: Int

        init(_ lists: [(words: [String], list: Lists)]) {
            let total = lists.reduce(0) { $0 + $1.words.count }
            var capacity = 16
            while capacity < total * 4 { capacity *= 2 }
            mask = capacity - 1
            hashes = [UInt64](repeating: 0, count: capacity)
            slots = [Int32](repeating: 0, count: capacity)
            for (list, flag) in lists {
                for w in list {
                    let bytes = Array(w.utf8)
                    let hash = bytes.withUnsafeBufferPointer { Token(start: $0.baseAddress!, length: $0.count).hash }
                    var i = Int(truncatingIfNeeded: hash) & mask
                    while slots[i] != 0 && !(hashes[i] == hash && words[Int(slots[i]) - 1].bytes == bytes) { i = (i + 1) & mask }
                    if slots[i] == 0 {
                        words.append((bytes, flag))
                        hashes[i] = hash
                        slots[i] = Int32(words.count)
                    } else {
                        words[Int(slots[i]) - 1].lists.insert(flag)
                    }
                }
            }
        }

        /// The lists the token (compared case-insensitively) is on; none for a token longer than 24 bytes.
        func lists(of token: Token) -> Lists {
            guard token.length <= 24 else { return [] }
            let hash = token.hash
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 {
                if hashes[i] == hash {
                    let word = words[Int(slots[i]) - 1]
                    if token.equals(word.bytes) { return word.lists }
                }
                i = (i + 1) & mask
            }
            return []
        }
    }

    /// Calls `body` with the tokens of each name in the value (each space-separated class name
    /// when `splitAtSpaces`, else the whole value as one name).
    private static func forEachName(_ value: UnsafePointer<UInt8>, splitAtSpaces: Bool, _ body: (TokenList) -> Void) {
        var p = value
        var name = TokenList()
        var tokenStart: UnsafePointer<UInt8>?
        var previous: UInt8 = 0
        func endToken(at end: UnsafePointer<UInt8>) {
            if let s = tokenStart { name.append(Token(start: s, length: s.distance(to: end))) }
            tokenStart = nil
        }
        func endName(at end: UnsafePointer<UInt8>) {
            endToken(at: end)
            if name.count > 0 { body(name) }
            name = TokenList()
        }
        while p.pointee != 0 {
            let b = p.pointee
            if isSpace(b) && splitAtSpaces {
                endName(at: p)
            } else if isWordByte(b) {
                if tokenStart != nil {
                    let next = p[1]
                    if (isUpper(b) && (isLower(previous) || (isUpper(previous) && isLower(next)))) || isDigit(b) != isDigit(previous) {
                        endToken(at: p)
                    }
                }
                if tokenStart == nil { tokenStart = p }
            } else {
                endToken(at: p)
            }
            previous = isWordByte(b) ? b : 0
            p += 1
        }
        endName(at: p)
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    @inline(__always) private static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    @inline(__always) private static func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) private static func isWordByte(_ b: UInt8) -> Bool { isUpper(b) || isLower(b) || isDigit(b) }
}
