import Foundation
import Extraction

/// What an element's ancestors say about the part of the page it sits in: page furniture
/// (navigation, footer, sidebar, ads, …), a named column of a two-column layout. Each element
/// is read once and remembered, so asking for every link of a page costs one pass over the
/// elements above the links, however many links share them.
final class PageRegions {
    /// Kinds of page furniture a region can be named for.
    enum Kind: String, CaseIterable, Sendable {
        case navigation, pagination, sharing, advertising, sidebar, popular, tags, comments, forms, friendLinks
    }

    struct Region {
        /// The nearest `nav`, `footer`, `aside`, `menu`, `form`, page `header` or closed `details`
        /// (a disclosure widget shows only its summary until opened: dropdown menus) above (not a wrapper).
        var element: String?
        /// Whole class/id tokens that name furniture, one per kind, nearest first.
        var hints: [Kind: String] = [:]
        /// Every furniture token of the region's ancestors with its kind (`hints` keeps one per
        /// kind), so that a name ignored as the page's vocabulary can give way to another.
        var furnitureTokens: [String: Kind] = [:]
        var insideArticle = false
        var column: (role: ColumnRole, element: HTMLNode)?
    }

    enum ColumnRole: Sendable { case primary, secondary }

    /// Elements that are page furniture by their tag.
    static let furnitureElements: Set<String> = ["nav", "aside", "footer", "menu", "select", "button"]

    /// Whole class/id tokens naming furniture, from the labelled listings (Tests/DiscoveryTests
    /// Fixtures/listings: Chinese portals' 热点/推荐/排行/友情链接 boxes) and the English and German
    /// pages of bench/discovery (dev half). A token is evidence, not a verdict: the group score
    /// weighs it against structure, text and URL shape.
    static let furnitureTokens: [String: Kind] = {
        var map: [String: Kind] = [:]
        let table: [(Kind, [String])] = [
            (.navigation, ["nav", "navi", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "topbar",
                           "toolbar", "masthead", "footer", "foot", "copyright", "crumb", "crumbs", "breadcrumb",
                           "breadcrumbs", "skip", "subnav", "sitenav", "hamburger", "drawer", "offcanvas"]),
            (.pagination, ["pager", "pagination", "paging", "pagenav", "pagelist"]),
            (.sharing, ["share", "sharing", "social", "sns", "bdshare", "bdsharebuttonbox", "qrcode", "follow"]),
            (.advertising, ["ad", "ads", "advert", "adv", "advertisement", "sponsor", "sponsored", "banner", "promo"]),
            (.sidebar, ["sidebar", "aside", "widget", "side", "rail", "sidebox"]),
            (.popular, ["hot", "hotnews", "rank", "ranking", "paihang", "popular", "trending", "mostread", "most",
                        "recommend", "recommended", "tuijian", "related", "relate", "top10"]),
            (.tags, ["tag", "tags", "tagcloud", "keywords"]),
            (.comments, ["comment", "comments"]),
            (.forms, ["login", "signin", "search", "subscribe", "newsletter", "signup", "cookie", "consent", "modal", "popup"]),
            (.friendLinks, ["friend", "friendlink", "flink", "yqlj"]),
        ]
        for (kind, words) in table { for w in words { map[w] = kind } }
        return map
    }()

    /// Ids of the elements skip links lead to (`#skip-to-content`, `#skipToProducts`).
    static let skipTargetPrefixes = ["skip-to", "skip_to", "skipto"]

    /// Navigation tokens that still count in a wrapper or main region whose links are mostly
    /// not headlines: a mega menu of product names can hold most of a page's links and, by
    /// their number, most of its headlines (zh-tencent-column of bench/discovery, dev half),
    /// while a list named `j_nav_list` is all headlines and keeps its exemption.
    static let menuTokens: Set<String> = ["nav", "navi", "navbar", "navigation", "menu", "menus", "submenu", "megamenu"]

    /// Class/id tokens of a page's main column and of its secondary column, recognized only
    /// when both sit side by side (siblings), as on the Chinese portals of the labelled set
    /// and the seed corpus page (`div.left` + `div.right`).
    static let primaryColumnTokens: Set<String> = ["left", "l", "fl", "main", "content", "leftside", "lft", "zuo"]
    static let secondaryColumnTokens: Set<String> = ["right", "r", "fr", "rightside", "rgt", "you"]

    private var regions: [HTMLNode: Region] = [:]
    private var tokenCache: [HTMLNode: Set<String>] = [:]
    private var columnWordsBelow: [HTMLNode: (primary: Int, secondary: Int)] = [:]
    private let isWrapper: (HTMLNode) -> Bool
    private let isMainRegion: (HTMLNode) -> Bool
    private let isHeadlineDense: (HTMLNode) -> Bool
    /// Elements read (each once): the operation count the linearity test checks.
    private(set) var elementsRead = 0
    /// Children read while looking for a partner column (each parent's children once).
    private(set) var siblingsRead = 0

    /// `isWrapper` tells which elements hold so much of the page that neither their tag nor
    /// their names describe a region (WordPress `body.has-sidebar`); `isMainRegion` which hold
    /// most of the page's headlines, so that their names (`div.tower-inhouse-ad`,
    /// `section.side-by-side`, a Drupal view's `<form>`) are no evidence against the list;
    /// `isHeadlineDense` which have mostly headline links (else `menuTokens` count there too).
    init(isWrapper: @escaping (HTMLNode) -> Bool, isMainRegion: @escaping (HTMLNode) -> Bool,
         isHeadlineDense: @escaping (HTMLNode) -> Bool) {
        self.isWrapper = isWrapper
        self.isMainRegion = isMainRegion
        self.isHeadlineDense = isHeadlineDense
    }

    func tokens(of element: HTMLNode) -> Set<String> {
        if let t = tokenCache[element] { return t }
        var id = element.attribute("id") ?? ""
        // `id="skip-to-products"` is where a skip link lands: the page's main content, no skip link
        if element.name != "a", Self.skipTargetPrefixes.contains(where: { id.lowercased().hasPrefix($0) }) { id = "" }
        let t = NameTokens.tokens(classes: element.attribute("class") ?? "", id: id)
        tokenCache[element] = t
        return t
    }

    /// The region of `element` (itself included).
    func region(of element: HTMLNode) -> Region {
        if let known = regions[element] { return known }
        var chain: [HTMLNode] = []
        var node: HTMLNode? = element
        var inherited = Region()
        while let e = node {
            if let known = regions[e] { inherited = known; break }
            chain.append(e)
            node = e.parent
        }
        for e in chain.reversed() {
            inherited = read(e, inheriting: inherited)
            regions[e] = inherited
        }
        return inherited
    }

    private func read(_ element: HTMLNode, inheriting above: Region) -> Region {
        elementsRead += 1
        var region = above
        let name = element.name
        if name == "article" { region.insideArticle = true }
        let wrapper = isWrapper(element)
        if !wrapper {
            if Self.furnitureElements.contains(name) || (name == "header" && !above.insideArticle)
                || (name == "details" && element.attribute("open") == nil) {
                region.element = name
            }
        }
        if !wrapper && !isMainRegion(element) {
            if name == "form" { region.hints[.forms] = "<form>"; region.furnitureTokens["<form>"] = .forms }
            for token in tokens(of: element).sorted() {
                if let kind = Self.furnitureTokens[token] { region.hints[kind] = token; region.furnitureTokens[token] = kind }
            }
        } else if name != "body", name != "html", !isHeadlineDense(element) {
            // The page itself (`body.onenav-site-navigation`) names no region.
            for token in tokens(of: element).sorted() where Self.menuTokens.contains(token) {
                region.hints[.navigation] = token
                region.furnitureTokens[token] = .navigation
            }
        }
        if region.column == nil, let role = columnRole(of: element) { region.column = (role, element) }
        return region
    }

    /// `.secondary` for a right column beside a left/main column, `.primary` for the reverse.
    private func columnRole(of element: HTMLNode) -> ColumnRole? {
        let own = tokens(of: element)
        let isPrimary = !own.isDisjoint(with: Self.primaryColumnTokens)
        let isSecondary = !own.isDisjoint(with: Self.secondaryColumnTokens)
        guard isPrimary != isSecondary, let parent = element.parent else { return nil }
        let counts = columnWords(among: parent)
        // Another child of the same parent names the partner column.
        return isPrimary ? (counts.secondary > 0 ? .primary : nil) : (counts.primary > 0 ? .secondary : nil)
    }

    /// How many children of `parent` are named like a primary or a secondary column (once per parent).
    private func columnWords(among parent: HTMLNode) -> (primary: Int, secondary: Int) {
        if let known = columnWordsBelow[parent] { return known }
        var counts = (primary: 0, secondary: 0)
        for child in parent.elementChildren {
            siblingsRead += 1
            let t = tokens(of: child)
            let p = !t.isDisjoint(with: Self.primaryColumnTokens), s = !t.isDisjoint(with: Self.secondaryColumnTokens)
            if p && !s { counts.primary += 1 }
            if s && !p { counts.secondary += 1 }
        }
        columnWordsBelow[parent] = counts
        return counts
    }
}
