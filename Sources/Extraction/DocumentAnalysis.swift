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
    /// Furniture (by tag or class) that is small enough to be trusted as such.
    var isBoilerplate = false
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

    init(root: xmlNodePtr, removing removed: Set<xmlNodePtr> = []) {
        records.reserveCapacity(2048)
        visit(root, parent: -1, block: -1, inLink: false, removed: removed, depth: 0)
        accumulate()
        if let body = records.firstIndex(where: { $0.name == "body" }) { bodyIndex = body }
        markBoilerplate()
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
        let (name, kind) = kinds.lookup(node.pointee.name)
        if kind == .dropped || removed.contains(node) || Self.isHidden(node) { return }
        let index = records.count
        let weight = classWeight(node)
        records.append(ElementRecord(pointer: node, parent: parent, name: name, kind: kind, classWeight: weight))
        indexOfPointer[node] = index
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
        }
    }

    private mutating func markBoilerplate() {
        let pageText = max(1, records.isEmpty ? 1 : records[bodyIndex].text.weightedLength)
        for i in records.indices {
            let r = records[i]
            guard r.kind == .furniture || r.classWeight < 0 else { continue }
            if r.name == "body" || r.name == "html" || r.name == "article" || r.name == "main" { continue }
            let share = Double(r.text.weightedLength) / Double(pageText)
            records[i].isBoilerplate = share < Heuristics.boilerplateMaximumTextShare
        }
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

    private static let displayNone = Array("display:none".utf8)
    private static let visibilityHidden = Array("visibility:hidden".utf8)

    private static func isHidden(_ node: xmlNodePtr) -> Bool {
        guard node.pointee.properties != nil else { return false }
        if xmlHasProp(node, "hidden") != nil { return true }
        if let style = attribute(node, "style") {
            var bytes: [UInt8] = []
            var p = style
            while p.pointee != 0 {
                let b = p.pointee
                if b != 0x20 { bytes.append(b >= 65 && b <= 90 ? b + 32 : b) }
                p += 1
            }
            if TextSearch.find(displayNone, in: bytes) != nil || TextSearch.find(visibilityHidden, in: bytes) != nil { return true }
        }
        if let aria = attribute(node, "aria-hidden"), String(cString: aria) == "true" { return true }
        return false
    }

    private func classWeight(_ node: xmlNodePtr) -> Int8 {
        guard node.pointee.properties != nil else { return 0 }
        let values = [Self.attribute(node, "class"), Self.attribute(node, "id"), Self.attribute(node, "role")].compactMap { $0 }
        return values.isEmpty ? 0 : ClassVocabulary.weight(of: values)
    }
}
