import Foundation
import Extraction

/// Where on the page a link sits, read from its ancestors: which repeated structure it
/// belongs to, and whether that part of the page is navigation or other boilerplate.
struct LinkPlacement {
    /// Links that share this key sit in the same repeated structure (one list, one table).
    let groupKey: String
    /// Inside navigation, header, footer, a sidebar, a share bar, pagination, a form or an ad.
    let isBoilerplate: Bool
    /// Which column of an explicitly named two-column layout (`left`/`right`, `fl`/`fr`,
    /// `col-l`/`col-r`, `main`/`side`) the link sits in, and that column's element.
    let column: (role: ColumnRole, element: HTMLNode)?

    enum ColumnRole { case primary, secondary }

    /// Class/id words of a page's main column and of its secondary column, recognized only
    /// when both sit side by side (siblings), as on the Chinese portals of the labelled set
    /// and the seed corpus page (`div.left` + `div.right`).
    static let primaryColumnWords: Set<String> = ["left", "l", "fl", "main", "content", "leftside", "lft", "zuo"]
    static let secondaryColumnWords: Set<String> = ["right", "r", "fr", "rightside", "rgt", "you"]

    /// Ancestors this close to the anchor (the `li`, the `ul`, the box around it) do not put
    /// their class into the group key: lists alternate `odd`/`even`/`first` classes on items
    /// and portals give each section box its own class. Tuned on the labelled listings.
    static let classlessLevels = 3
    /// Elements whose presence above a link marks boilerplate.
    static let boilerplateElements: Set<String> = ["nav", "aside", "footer", "form", "menu", "select", "button"]
    /// A `<header>` is boilerplate only outside an article card.
    static let articleElements: Set<String> = ["article"]
    /// Class/id words (split at `-`, `_`, spaces) that name boilerplate on the labelled pages
    /// and on the Chinese portals the seed corpus was shaped on (热点/推荐/排行 boxes, 分享).
    static let boilerplateWords: Set<String> = [
        "nav", "navi", "navbar", "menu", "menus", "submenu", "topbar", "toolbar", "header", "masthead",
        "footer", "foot", "copyright", "crumb", "crumbs", "breadcrumb", "breadcrumbs", "position", "location",
        "pages", "pager", "pagination", "paging", "pagenav", "share", "sharing", "social", "bdshare",
        "bdsharebuttonbox", "login", "search", "ad", "ads", "advert", "adv", "advertisement", "banner",
        "sponsor", "side", "sidebar", "aside", "widget", "hot", "hotnews", "rank", "ranking",
        "paihang", "recommend", "tuijian", "related", "relate", "popular", "trending", "mostread",
        "most", "tag", "tags", "tagcloud", "keywords", "friend", "friendlink", "flink", "yqlj",
        "comment", "comments", "subscribe", "newsletter", "skip", "sns", "qrcode", "modal", "cookie",
    ]

    /// An element holding at least this share of the page's links is a page wrapper, not a
    /// region: WordPress themes put `has-sidebar right-sidebar` on `<body>` and portals wrap
    /// everything in `div#ad-wrap`-like containers. Its class words are ignored. Sidebars in
    /// the labelled set hold 10–35% of their page's links.
    static let wrapperLinkShare = 0.6

    /// `isWrapper` tells which ancestors hold so many of the page's links that their class
    /// names describe the page, not a region of it.
    init(anchor: HTMLNode, isWrapper: (HTMLNode) -> Bool = { _ in false }) {
        var components: [String] = []
        var boilerplate = false
        var ancestors: [HTMLNode] = []
        var up = anchor.parent
        while let element = up { ancestors.append(element); up = element.parent }
        let insideArticle = ancestors.contains { Self.articleElements.contains($0.name) }
        var column: (ColumnRole, HTMLNode)?
        var node = anchor.parent
        var distance = 1
        while let element = node {
            let name = element.name
            let id = element.attribute("id") ?? ""
            let classes = element.attribute("class") ?? ""
            if Self.boilerplateElements.contains(name) { boilerplate = true }
            if name == "header" && !insideArticle { boilerplate = true }
            if !boilerplate && (Self.hasBoilerplateWord(id) || Self.hasBoilerplateWord(classes)) && !isWrapper(element) {
                // A card's own header/title class sits right above the link; only regions count.
                if !(distance <= 2 && Self.isCardPartName(classes + " " + id)) { boilerplate = true }
            }
            if column == nil, let role = Self.columnRole(of: element, id: id, classes: classes) { column = (role, element) }
            if distance > Self.classlessLevels {
                components.append(name + Self.keyPart(id: id, classes: classes))
            } else {
                components.append(name)
            }
            node = element.parent
            distance += 1
        }
        groupKey = components.reversed().joined(separator: ">")
        isBoilerplate = boilerplate
        self.column = column
    }

    /// `.secondary` for a right column beside a left/main column, `.primary` for the reverse.
    static func columnRole(of element: HTMLNode, id: String, classes: String) -> ColumnRole? {
        let own = Set(words(classes + " " + id).map(String.init))
        let isPrimary = !own.isDisjoint(with: primaryColumnWords)
        let isSecondary = !own.isDisjoint(with: secondaryColumnWords)
        guard isPrimary != isSecondary, let parent = element.parent else { return nil }
        let wanted = isPrimary ? secondaryColumnWords : primaryColumnWords
        let hasPartner = parent.elementChildren.contains { sibling in
            sibling != element && !Set(words((sibling.attribute("class") ?? "") + " " + (sibling.attribute("id") ?? "")).map(String.init)).isDisjoint(with: wanted)
        }
        return hasPartner ? (isPrimary ? .primary : .secondary) : nil
    }

    static func words(_ text: String) -> [Substring] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber || $0 == "_" })
    }

    static func hasBoilerplateWord(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return words(text).contains { boilerplateWords.contains(String($0)) }
    }

    /// `card-header`, `entry-header`: a header inside a teaser, not the page header.
    static func isCardPartName(_ text: String) -> Bool {
        let w = words(text)
        return w.contains("header") && !w.contains("site") && !w.contains("page") && !w.contains("top")
    }

    /// The first class and the id, digits removed (`item-123` and `item-124` are one structure).
    static func keyPart(id: String, classes: String) -> String {
        var part = ""
        if let first = classes.split(separator: " ").first {
            part += "." + first.filter { !$0.isNumber }
        }
        if !id.isEmpty { part += "#" + id.filter { !$0.isNumber } }
        return part
    }
}
