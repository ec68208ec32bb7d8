import CLibXML2

/// One element of the page with the statistics the content heuristics need.
struct ElementRecord {
    var pointer: xmlNodePtr
    var parent: Int
    var name: String
    var kind: ElementKind
    /// +1 for a class/id naming content, -1 for one naming furniture, 0 otherwise.
    var classWeight: Int8
    /// All text below (dropped and hidden elements excluded).
    var text = TextMeasure()
    var linkCharacters: Int32 = 0
    /// Text whose nearest block ancestor is this element (a paragraph's own words).
    var own = TextMeasure()
    var ownLinkCharacters: Int32 = 0
    var paragraphs: Int32 = 0
    var images: Int32 = 0
    var listItems: Int32 = 0
    var lineBreaks: Int32 = 0
    /// Furniture (by tag or class) that holds no landmark of the article.
    var isBoilerplate = false
    /// An `<h1>`, `<main>`, `role=main` or `itemprop=articleBody` is this element or below it (not
    /// `<article>`: comment threads mark up every comment as one).
    var holdsLandmark = false
    /// Text of the largest element below named for content (`classWeight` > 0).
    var contentBelow: Int32 = 0
    var score = 0.0
    var isCandidate = false

    var linkDensity: Double {
        text.characters > 0 ? Double(linkCharacters) / Double(text.characters) : 0
    }
}

/// The page flattened into `ElementRecord`s (parents before children) plus per-element statistics.
/// Built in one walk of libxml2's tree; nothing in the tree is modified.
struct DocumentAnalysis {
    var records: [ElementRecord] = []
    private(set) var indexOfPointer: [xmlNodePtr: Int] = [:]
    private var kinds = ElementKindCache()
    /// Index of `<body>` (or the root when there is none).
    private(set) var bodyIndex = 0

    /// Whether elements a page hides (the `hidden` attribute, `display:none`, hiding classes,
    /// `<noscript>` in the body) are read as visible: the second try for pages that show their article only by script.
    let revealsHidden: Bool
    /// Characters of text inside hidden elements that were skipped (0 when `revealsHidden`).
    private(set) var hiddenCharacters = 0

    init(root: xmlNodePtr, removing removed: Set<xmlNodePtr> = [], revealingHidden: Bool = false) {
        revealsHidden = revealingHidden
        records.reserveCapacity(2048)
        visit(root, parent: -1, block: -1, inLink: false, removed: removed, depth: 0)
        accumulate()
        if let body = records.firstIndex(where: { $0.name == "body" }) { bodyIndex = body }
        markBoilerplate()
    }

    /// Elements outside `<head>` that `PageMetadata` reads (meta/script/title tags in the body,
    /// h1, time, and elements marked as author, byline or date), in document order.
    private(set) var metadataHints: [xmlNodePtr] = []

    private static let metadataClassWords = ["author", "byline", "publish"].map { Array($0.utf8) }
    private static let dateClassWords = ["date", "time"].map { Array($0.utf8) }

    private static func mayCarryMetadata(_ attributes: ElementAttributes) -> Bool {
        if attributes.itemprop != nil || attributes.datetime != nil || attributes.rel != nil { return true }
        guard let cls = attributes.classList else { return false }
        if metadataClassWords.contains(where: { TextSearch.contains(cls, $0) }) { return true }
        // "3 hours ago" labels carry the real time in their title
        return attributes.title != nil && dateClassWords.contains { TextSearch.contains(cls, $0) }
    }

    func record(of pointer: xmlNodePtr) -> Int? { indexOfPointer[pointer] }

    func isAncestor(_ ancestor: Int, of index: Int) -> Bool {
        var i = index
        while i >= 0 {
            if i == ancestor { return true }
            i = records[i].parent
        }
        return false
    }

    // MARK: building

    private mutating func visit(_ node: xmlNodePtr, parent: Int, block: Int, inLink: Bool,
                                removed: Set<xmlNodePtr>, depth: Int) {
        var (name, kind) = kinds.lookup(node.pointee.name)
        if kind == .dropped {
            if name == "meta" || name == "script" || name == "title" || name == "link" { metadataHints.append(node) }
            switch name {
            case "button", "label":
                // libxml2 cannot close a <button> or <label> around an unclosed <div> (the div's
                // end priority is higher), so one such control in a header swallows the whole
                // page: a control holding that much text is the page, read as a container.
                let limit = Heuristics.swallowingControlCharacters
                guard Self.textCharacters(of: node, limit: limit) >= limit else { return }
            case "noscript":
                // what a page shows without scripts: hidden like `hidden` elements, read when
                // the scripted page shows no article
                guard revealsHidden else {
                    if hiddenCharacters < Self.hiddenCharacterCountLimit { hiddenCharacters += Self.textCharacters(of: node, limit: Self.hiddenCharacterCountLimit) }
                    return
                }
            default:
                return
            }
            kind = .container
        }
        let attributes = ElementAttributes(node)
        if !removed.isEmpty && removed.contains(node) { return }
        if attributes.hasAny && !revealsHidden && Self.isHidden(attributes) {
            if hiddenCharacters < Self.hiddenCharacterCountLimit { hiddenCharacters += Self.textCharacters(of: node, limit: Self.hiddenCharacterCountLimit) }
            // text for screen readers only (`visually-hidden`, `sr-only`) still names the page:
            // an <h1> there is the headline a screen reader announces
            if let cls = attributes.classList, Self.hasScreenReaderClassName(cls) { Self.collectHeadlines(below: node, into: &metadataHints) }
            return
        }
        if name == "h1" || name == "time" || (attributes.hasAny && Self.mayCarryMetadata(attributes)) { metadataHints.append(node) }
        let index = records.count
        let weight: Int8 = attributes.hasAny ? ClassVocabulary.weight(class: attributes.classList, id: attributes.id, role: attributes.role) : 0
        records.append(ElementRecord(pointer: node, parent: parent, name: name, kind: kind, classWeight: weight))
        indexOfPointer[node] = index
        if name == "h1" || name == "main" || ElementAttributes.equals(attributes.role, "main")
            || ElementAttributes.equals(attributes.itemprop, "articleBody") {
            records[index].holdsLandmark = true
        }
        switch kind {
        case .image: records[index].images = 1
        case .lineBreak: records[index].lineBreaks = 1
        case .paragraph:
            if name == "li" || name == "dd" || name == "dt" { records[index].listItems = 1 } else { records[index].paragraphs = 1 }
        default: break
        }
        let ownBlock = kind.isBlock ? index : (block >= 0 ? block : index)
        let linked = inLink || kind == .link
        guard depth < 400 else { return }
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                visit(c, parent: index, block: ownBlock, inLink: linked, removed: removed, depth: depth + 1)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    let m = TextMeasure.of(content)
                    if m.characters > 0 {
                        records[index].text += m
                        records[ownBlock].own += m
                        if linked {
                            records[index].linkCharacters += m.characters
                            records[ownBlock].ownLinkCharacters += m.characters
                        }
                    }
                }
            default: break
            }
            child = c.pointee.next
        }
    }

    /// Adds every element's statistics to its parent (children come after parents).
    private mutating func accumulate() {
        for i in stride(from: records.count - 1, through: 1, by: -1) {
            let p = records[i].parent
            guard p >= 0 else { continue }
            let r = records[i]
            records[p].text += r.text
            records[p].linkCharacters += r.linkCharacters
            records[p].paragraphs += r.paragraphs
            records[p].images += r.images
            records[p].listItems += r.listItems
            records[p].lineBreaks += r.lineBreaks
            if r.holdsLandmark { records[p].holdsLandmark = true }
            let content = max(r.contentBelow, r.classWeight > 0 ? Int32(clamping: r.text.weightedLength) : 0)
            if content > records[p].contentBelow { records[p].contentBelow = content }
        }
    }

    /// Furniture by tag or class is trusted unless it wraps a landmark of the article (its
    /// headline, `<main>`): then it is a layout wrapper named after its columns
    /// (`content-sidebar-wrap`), not a comment thread or a sidebar, however long those are.
    /// Strong furniture (comment threads, sidebars, navigation: `ClassVocabulary`, and the
    /// `<nav>`, `<aside>` and `<footer>` tags) is trusted whatever its size; other furniture
    /// only while it holds less than `Heuristics.weakFurnitureMaximumTextShare` of the page.
    private mutating func markBoilerplate() {
        let pageText = max(1, records.isEmpty ? 1 : records[bodyIndex].text.weightedLength)
        for i in records.indices {
            let r = records[i]
            guard r.kind == .furniture || r.classWeight < 0 else { continue }
            if r.name == "body" || r.name == "html" || r.holdsLandmark { continue }
            // A furniture box (`sidebar-container`) around an element named for content that holds
            // most of its text wraps the article's column (logrocket's `the-content-container`).
            if r.classWeight < 0 && r.kind != .furniture,
               Double(r.contentBelow) >= Heuristics.contentWrapperShare * Double(max(1, r.text.weightedLength)),
               Self.namesFurnitureBox(r.pointer) { continue }
            let isStrong = r.classWeight <= -2 || r.name == "nav" || r.name == "aside" || r.name == "footer"
            if !isStrong && Double(r.text.weightedLength) / Double(pageText) >= Heuristics.weakFurnitureMaximumTextShare { continue }
            records[i].isBoilerplate = true
        }
    }

    private static func namesFurnitureBox(_ node: xmlNodePtr) -> Bool {
        let attributes = ElementAttributes(node)
        return [attributes.classList, attributes.id].contains { value in
            value.map { ClassVocabulary.namesFurnitureBox(String(cString: $0)) } ?? false
        }
    }

    /// Hidden text is counted up to this many characters (enough to tell "the page hides its
    /// article" from "the page hides a menu").
    static let hiddenCharacterCountLimit = 100_000

    /// Non-space characters of the text below `node` (scripts and styles excluded), up to `limit`.
    private static func textCharacters(of node: xmlNodePtr, limit: Int) -> Int {
        var count = 0
        func walk(_ n: xmlNodePtr, depth: Int) {
            var child = n.pointee.children
            while let c = child, count < limit, depth < 400 {
                switch c.pointee.type {
                case XML_ELEMENT_NODE:
                    // a <button> or <label> may hold the page libxml2 nested into it (see visit)
                    if let name = c.pointee.name.map({ String(cString: $0).lowercased() }),
                       ElementKind.of(name) != .dropped || name == "button" || name == "label" { walk(c, depth: depth + 1) }
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = c.pointee.content { count += Int(TextMeasure.of(content).characters) }
                default: break
                }
                child = c.pointee.next
            }
        }
        walk(node, depth: 0)
        return count
    }

    // MARK: attributes

    static func attribute(_ node: xmlNodePtr, _ name: String) -> UnsafePointer<UInt8>? {
        guard let attr = xmlHasProp(node, name), let text = attr.pointee.children, let content = text.pointee.content else {
            return nil
        }
        return UnsafePointer(content)
    }

    static func attributeString(_ node: xmlNodePtr, _ name: String) -> String? {
        attribute(node, name).map { String(cString: $0) }
    }

    /// Whole class names that hide an element in common CSS frameworks (we do not evaluate style sheets).
    private static let hiddenClassNames: [[UInt8]] = ["hidden", "hide", "d-none", "sr-only", "visually-hidden", "is-hidden",
                                                       "invisible", "screen-reader-text"].map { Array($0.utf8) }

    /// Hidden class names that hide text for sighted readers only (it is read to screen readers).
    private static let screenReaderClassNames: [[UInt8]] = ["sr-only", "visually-hidden", "screen-reader-text"].map { Array($0.utf8) }

    private static func hasHiddenClassName(_ classes: UnsafePointer<UInt8>) -> Bool { hasClassName(classes, among: hiddenClassNames) }
    private static func hasScreenReaderClassName(_ classes: UnsafePointer<UInt8>) -> Bool { hasClassName(classes, among: screenReaderClassNames) }

    /// Whether a space-separated class list holds one of `names` (lower case; compared ASCII case-insensitively).
    private static func hasClassName(_ classes: UnsafePointer<UInt8>, among names: [[UInt8]]) -> Bool {
        var p = classes
        while p.pointee != 0 {
            while p.pointee == 0x20 || p.pointee == 0x09 || p.pointee == 0x0A { p += 1 }
            let start = p
            while p.pointee != 0 && p.pointee != 0x20 && p.pointee != 0x09 && p.pointee != 0x0A { p += 1 }
            let length = start.distance(to: p)
            for name in names where name.count == length {
                var k = 0
                while k < length {
                    var b = start[k]
                    if b >= 65 && b <= 90 { b += 32 }
                    if b != name[k] { break }
                    k += 1
                }
                if k == length { return true }
            }
        }
        return false
    }

    /// The `<h1>` elements below `node` (a few levels of a hidden block).
    private static func collectHeadlines(below node: xmlNodePtr, into hints: inout [xmlNodePtr], depth: Int = 0) {
        guard depth < 12 else { return }
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, let name = c.pointee.name {
                if xmlStrcasecmp(name, "h1") == 0 { hints.append(c) } else { collectHeadlines(below: c, into: &hints, depth: depth + 1) }
            }
            child = c.pointee.next
        }
    }

    /// Display values that utility frameworks put after a breakpoint prefix (`hidden md:block`:
    /// hidden on phones only, shown on a desktop).
    private static let displayValues: [[UInt8]] = ["block", "flex", "grid", "inline", "inline-block", "inline-flex", "table",
                                                   "contents", "flow-root"].map { Array($0.utf8) }

    /// Whether a class list holds `prefix:display` (`md:block`, `lg:flex`).
    private static func hasResponsiveDisplay(_ classes: UnsafePointer<UInt8>) -> Bool {
        var p = classes
        while p.pointee != 0 {
            while p.pointee == 0x20 || p.pointee == 0x09 || p.pointee == 0x0A { p += 1 }
            let start = p
            var colon: UnsafePointer<UInt8>?
            while p.pointee != 0 && p.pointee != 0x20 && p.pointee != 0x09 && p.pointee != 0x0A {
                if p.pointee == UInt8(ascii: ":") { colon = p }
                p += 1
            }
            guard let colon, colon > start else { continue }
            let value = UnsafeBufferPointer(start: colon + 1, count: (colon + 1).distance(to: p))
            if displayValues.contains(where: { $0.count == value.count && $0.elementsEqual(value) }) { return true }
        }
        return false
    }

    private static let displayNone = Array("display:none".utf8)
    private static let visibilityHidden = Array("visibility:hidden".utf8)

    /// React's streaming renderer sends finished Suspense boundaries as `<div hidden id="S:0">`
    /// for a script to move into place: their content is the page.
    private static func isStreamedBoundary(_ attributes: ElementAttributes) -> Bool {
        guard let id = attributes.id, id[0] == UInt8(ascii: "S"), id[1] == UInt8(ascii: ":") else { return false }
        var p = id + 2
        guard p.pointee >= 48 && p.pointee <= 57 else { return false }
        while p.pointee >= 48 && p.pointee <= 57 { p += 1 }
        return p.pointee == 0
    }

    private static func isHidden(_ attributes: ElementAttributes) -> Bool {
        if attributes.isAccordionPanel { return false }
        if attributes.isHiddenAttribute && !isStreamedBoundary(attributes) { return true }
        if attributes.isAriaHidden { return true }
        if let style = attributes.style {
            var bytes: [UInt8] = []
            var p = style
            while p.pointee != 0 {
                let b = p.pointee
                if b != 0x20 { bytes.append(b >= 65 && b <= 90 ? b + 32 : b) }
                p += 1
            }
            if TextSearch.find(displayNone, in: bytes) != nil || TextSearch.find(visibilityHidden, in: bytes) != nil { return true }
        }
        if let cls = attributes.classList, hasHiddenClassName(cls), !hasResponsiveDisplay(cls) { return true }
        return false
    }

}
