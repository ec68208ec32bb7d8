import CLibXML2
import Foundation
import TidingsCore

/// Metadata the page declares: `<meta>` tags, JSON-LD, `<title>`, `<h1>`, `<html lang>`,
/// canonical link, `<time>` elements and author-marked elements.
struct PageMetadata {
    /// Lower-cased `name`/`property`/`itemprop`/`http-equiv` → first non-empty `content`.
    var metas: [String: String] = [:]
    var titleTag: String?
    var headings: [String] = []
    /// Headings that are (mostly) a link: a masthead `<h1><a href="/">Blog name</a></h1>`.
    var linkedHeadings: Set<String> = []
    var language: String?
    var canonical: String?
    var timeElements: [(datetime: String, isPublished: Bool)] = []
    var authorElements: [String] = []
    var jsonLD = JSONLinkedData()
    /// The page's URL and base, to tell a heading's link to the page itself from a masthead's.
    private var document: HTMLDocument?

    /// Reads `<head>` and the body elements the analysis walk flagged (no second walk of the body).
    init(document: HTMLDocument, hints: [xmlNodePtr]) {
        self.document = document
        guard let root = document.root else { return }
        language = DocumentAnalysis.attributeString(root.pointer, "lang") ?? DocumentAnalysis.attributeString(root.pointer, "xml:lang")
        var kinds = ElementKindCache()
        var child = root.pointer.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, kinds.lookupTagged(c.pointee.name).name == "head" {
                var inner = c.pointee.children
                while let element = inner {
                    if element.pointee.type == XML_ELEMENT_NODE {
                        _ = visit(element, tag: kinds.lookupTagged(element.pointee.name).tag, inBody: false)
                    }
                    inner = element.pointee.next
                }
            }
            child = c.pointee.next
        }
        for hint in hints {
            _ = visit(hint, tag: kinds.lookupTagged(hint.pointee.name).tag, inBody: true)
        }
    }

    private static let authorWord = Array("author".utf8)
    private static let bylineWord = Array("byline".utf8)
    private static let publishWord = Array("publish".utf8)
    private static let dateWord = Array("date".utf8)
    private static let timeWord = Array("time".utf8)

    /// An element's text when it is short enough to be a date line, else nil.
    private static func shortText(of node: xmlNodePtr) -> String? {
        let text = TextSearch.trimmed(HTMLNode.content(of: node))
        return text.isEmpty || text.utf8.count > 120 ? nil : text
    }

    /// Reads one element; returns whether to look inside it.
    private mutating func visit(_ p: xmlNodePtr, tag: MetadataTag, inBody: Bool) -> Bool {
        switch tag {
        case .meta:
            guard let content = DocumentAnalysis.attributeString(p, "content").map(TextSearch.trimmed), !content.isEmpty else { return false }
            for key in ["name", "property", "itemprop", "http-equiv"] {
                if let k = DocumentAnalysis.attributeString(p, key).map({ TextSearch.trimmed($0.lowercased()) }),
                   !k.isEmpty, metas[k] == nil {
                    metas[k] = content
                }
            }
            if let itemprop = DocumentAnalysis.attributeString(p, "itemprop"), itemprop == "datePublished" || itemprop == "dateCreated" {
                timeElements.append((content, true))
            }
            return false
        case .title:
            // CleanEval-style wrappers push <title> into the body; an svg title is skipped with its svg
            if titleTag == nil { titleTag = Self.clean(HTMLNode.content(of: p)) }
            return false
        case .link:
            if canonical == nil, let rel = DocumentAnalysis.attributeString(p, "rel"), rel.lowercased() == "canonical" {
                canonical = DocumentAnalysis.attributeString(p, "href")
            }
            return false
        case .script:
            if let type = DocumentAnalysis.attributeString(p, "type"), type.lowercased().contains("ld+json") {
                jsonLD.add(HTMLNode.content(of: p))
            }
            return false
        case .style, .noscript, .svg, .iframe, .template:
            return false
        case .h1:
            if inBody && headings.count < 3 {
                let text = Self.clean(HTMLNode.content(of: p))
                if !text.isEmpty {
                    headings.append(text)
                    if Self.isMostlyLink(p, textLength: text.utf8.count) && !linksToThisPage(p) { linkedHeadings.insert(text) }
                }
            }
        default:
            break
        }
        guard inBody, p.pointee.properties != nil || tag == .time else { return true }
        let attributes = ElementAttributes(p)
        // a <time> without `datetime` says its date in its text (HTML: "Published on August 19, 2019")
        let datetime = tag == .time ? ElementAttributes.string(attributes.datetime) ?? Self.shortText(of: p) : nil
        let itemprop = ElementAttributes.string(attributes.itemprop)
        if datetime != nil || itemprop == "datePublished" || itemprop == "dateCreated" {
            // a `datetime` no scanner reads (`01-11-2023 10:29`, day and month ambiguous) yields to
            // the element's own text, which says it in words ("1. November 2023 10:29")
            let readable = datetime.flatMap { DateScanner.first(in: $0) == nil ? nil : $0 }
            let value = readable ?? ElementAttributes.string(attributes.content) ?? HTMLNode.content(of: p)
            let isPublished = itemprop?.hasPrefix("date") == true || xmlHasProp(p, "pubdate") != nil
                || attributes.classList.map { TextSearch.contains($0, Self.publishWord) } == true
            timeElements.append((TextSearch.trimmed(value), isPublished))
        }
        if datetime == nil, itemprop == nil, let title = ElementAttributes.string(attributes.title), title.utf8.count <= 64,
           let cls = attributes.classList, TextSearch.contains(cls, Self.dateWord) || TextSearch.contains(cls, Self.timeWord),
           DateScanner.first(in: title) != nil {
            timeElements.append((TextSearch.trimmed(title), false))
        }
        if authorElements.count < 8 {
            var isAuthor = itemprop == "author" || ElementAttributes.equals(attributes.rel, "author")
            if !isAuthor, let cls = attributes.classList {
                isAuthor = TextSearch.contains(cls, Self.authorWord) || TextSearch.contains(cls, Self.bylineWord)
            }
            // an advertiser's or a commenter's name (`ad-author`, `comment-author`) is no byline
            if isAuthor && ClassVocabulary.weight(class: attributes.classList, id: attributes.id, role: attributes.role) <= -2 { isAuthor = false }
            if isAuthor && tag != .body {
                let text = Self.clean(HTMLNode.content(of: p))
                if !text.isEmpty && text.count <= 100 { authorElements.append(text) }
            }
        }
        return true
    }

    /// Whether the heading's link (around it or inside it) leads to the page itself: a docs or
    /// blog page linking its own headline (`<h1><a href="/api/charges">Charges</a></h1>` on
    /// /api/charges, `#top`), unlike a masthead's link to the home page.
    private func linksToThisPage(_ p: xmlNodePtr) -> Bool {
        var anchor: xmlNodePtr?
        var up = p.pointee.parent
        while let u = up, u.pointee.type == XML_ELEMENT_NODE, anchor == nil {
            if xmlStrcasecmp(u.pointee.name, "a") == 0 { anchor = u }
            up = u.pointee.parent
        }
        func first(_ n: xmlNodePtr, depth: Int) -> xmlNodePtr? {
            var child = n.pointee.children
            while let c = child, depth < 8 {
                if c.pointee.type == XML_ELEMENT_NODE {
                    if xmlStrcasecmp(c.pointee.name, "a") == 0 { return c }
                    if let found = first(c, depth: depth + 1) { return found }
                }
                child = c.pointee.next
            }
            return nil
        }
        guard let document, let a = anchor ?? first(p, depth: 0),
              let href = DocumentAnalysis.attributeString(a, "href").map(TextSearch.trimmed), !href.isEmpty else { return false }
        if href.hasPrefix("#") { return true }
        guard let target = document.absoluteURL(href) else { return false }
        func path(_ u: URL) -> String { u.path.hasSuffix("/") ? String(u.path.dropLast()) : u.path }
        return target.host?.lowercased() == document.url.host?.lowercased() && !path(target).isEmpty && path(target) == path(document.url)
    }

    /// Whether an element sits inside a link or at least half of its text is link text.
    private static func isMostlyLink(_ p: xmlNodePtr, textLength: Int) -> Bool {
        var up = p.pointee.parent
        while let u = up, u.pointee.type == XML_ELEMENT_NODE {
            if xmlStrcasecmp(u.pointee.name, "a") == 0 { return true }
            up = u.pointee.parent
        }
        var linked = 0
        func walk(_ n: xmlNodePtr, depth: Int) {
            var child = n.pointee.children
            while let c = child, depth < 32 {
                if c.pointee.type == XML_ELEMENT_NODE {
                    if xmlStrcasecmp(c.pointee.name, "a") == 0 { linked += clean(HTMLNode.content(of: c)).utf8.count } else { walk(c, depth: depth + 1) }
                }
                child = c.pointee.next
            }
        }
        walk(p, depth: 0)
        return linked * 2 >= textLength
    }

    func meta(_ keys: [String]) -> String? {
        for k in keys { if let v = metas[k] { return v } }
        return nil
    }

    /// The `twitter:dataN` value whose `twitter:labelN` (case folded) is one of `labels`.
    func labelledMeta(_ labels: Set<String>) -> String? {
        for n in 1...Self.cardPairs {
            guard let label = metas["twitter:label\(n)"] else { break }
            if labels.contains(TextSearch.trimmed(label.lowercased())), let value = metas["twitter:data\(n)"] { return value }
        }
        return nil
    }

    /// Twitter cards show at most a few label/data pairs (the card format defines two; Yoast writes two).
    private static let cardPairs = 4

    /// Collapses spaces of every kind, trims, and drops XML-illegal characters.
    static func clean(_ s: String) -> String {
        var writer = PlainTextWriter()
        writer.append(s)
        return writer.output
    }
}

/// The article fields of a page's JSON-LD (`Article`, `NewsArticle`, `BlogPosting`, … also inside `@graph`).
struct JSONLinkedData {
    var headline: String?
    var datePublished: String?
    var dateModified: String?
    var image: String?
    private var namedAuthors: [String] = []
    private var namedPublisher: String?
    /// `{"@id": …}` references in place of the author or publisher (Yoast's `@graph` names the
    /// Person and the Organization once, elsewhere in the graph or in another script).
    private var authorReferences: [String] = []
    private var publisherReference: String?
    /// Names of the people and of the organizations the page's JSON-LD declares, by `@id`.
    private var people: [String: String] = [:]
    private var organizations: [String: String] = [:]

    var authors: [String] {
        namedAuthors.isEmpty ? authorReferences.compactMap { people[$0] } : namedAuthors
    }
    var publisher: String? {
        namedPublisher ?? publisherReference.flatMap { organizations[$0] ?? people[$0] }
    }

    /// Types outside schema.org's Article family that still describe the page's one item.
    static let articleTypes: Set<String> = ["webpage", "review", "report", "medicalwebpage", "itempage"]

    /// Every subtype schema.org defines under Article is named "…Article" or "…Posting"
    /// (NewsArticle, ReportageNewsArticle, SatiricalArticle, BlogPosting, DiscussionForumPosting, …),
    /// so the suffix takes them all, the ones sites declare but no list here names included.
    static func isArticleType(_ type: String) -> Bool {
        type.hasSuffix("article") || type.hasSuffix("posting") || articleTypes.contains(type)
    }

    mutating func add(_ script: String) {
        let bytes = Array(script.utf8)
        func parse(_ bytes: [UInt8]) -> Any? { try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
        guard let json = parse(bytes) ?? Self.repaired(bytes).flatMap(parse) else {
            // JSON broken beyond that (unescaped quotes in a string): read the dates by key.
            if datePublished == nil { datePublished = Self.stringValue(of: "datePublished", in: script) }
            if dateModified == nil { dateModified = Self.stringValue(of: "dateModified", in: script) }
            return
        }
        visit(json, depth: 0)
    }

    /// The two breakages common in hand-written JSON-LD mended, or nil when there are none:
    /// raw control characters inside strings (a description pasted with its line breaks) become
    /// spaces, and commas before a closing bracket go.
    static func repaired(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false, changed = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                if b < 0x20 { out.append(0x20); changed = true; continue }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                var k = out.count - 1
                while k >= 0 && (out[k] == 0x20 || out[k] == 0x0A || out[k] == 0x0D || out[k] == 0x09) { k -= 1 }
                if k >= 0 && out[k] == UInt8(ascii: ",") { out.remove(at: k); changed = true }
            }
            out.append(b)
        }
        return changed ? out : nil
    }

    /// The string after `"key":` in text that is not valid JSON.
    static func stringValue(of key: String, in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let at = TextSearch.find(Array("\"\(key)\"".utf8), in: bytes) else { return nil }
        var i = at + key.utf8.count + 2
        while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == UInt8(ascii: ":") || bytes[i] == 0x0A || bytes[i] == 0x09) { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && end - start < 64 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private mutating func visit(_ value: Any, depth: Int) {
        guard depth < 6 else { return }
        if let array = value as? [Any] {
            for v in array { visit(v, depth: depth + 1) }
            return
        }
        guard let object = value as? [String: Any] else { return }
        if let graph = object["@graph"] { visit(graph, depth: depth + 1) }
        let types = Self.types(object["@type"])
        if let id = object["@id"] as? String, let name = object["name"] as? String, !name.isEmpty {
            if types.contains("person") { people[id] = name }
            if types.contains("organization") || types.contains("newsmediaorganization") || types.contains("corporation") { organizations[id] = name }
        }
        guard types.contains(where: Self.isArticleType) else {
            if let main = object["mainEntity"] ?? object["mainEntityOfPage"], main is [String: Any] { visit(main, depth: depth + 1) }
            return
        }
        let isWebPage = types.allSatisfy { $0 == "webpage" || $0 == "itempage" || $0 == "medicalwebpage" }
        if headline == nil || !isWebPage, let h = (object["headline"] ?? object["name"]) as? String, !h.isEmpty {
            if headline == nil || !isWebPage && object["headline"] != nil { headline = h }
        }
        if datePublished == nil || !isWebPage, let d = (object["datePublished"] ?? object["dateCreated"]) as? String, !d.isEmpty {
            if datePublished == nil || !isWebPage { datePublished = d }
        }
        if dateModified == nil, let d = object["dateModified"] as? String { dateModified = d }
        if namedAuthors.isEmpty && authorReferences.isEmpty, let a = object["author"] ?? object["creator"] {
            namedAuthors = Self.names(a, people: true)
            if namedAuthors.isEmpty { authorReferences = Self.references(a) }
        }
        if namedPublisher == nil && publisherReference == nil, let p = object["publisher"] {
            namedPublisher = Self.names(p, people: false).first
            if namedPublisher == nil { publisherReference = Self.references(p).first }
        }
        if image == nil, let i = object["image"] ?? object["thumbnailUrl"] { image = Self.url(i) }
    }

    static func types(_ value: Any?) -> [String] {
        if let s = value as? String { return [s.lowercased()] }
        if let a = value as? [Any] { return a.compactMap { ($0 as? String)?.lowercased() } }
        return []
    }

    static func names(_ value: Any, people: Bool) -> [String] {
        if let s = value as? String { return s.isEmpty || s.hasPrefix("http") ? [] : [s] }
        if let a = value as? [Any] { return a.flatMap { names($0, people: people) } }
        if let o = value as? [String: Any] {
            if people, types(o["@type"]).contains("organization") { return [] }
            if let n = o["name"] as? String, !n.isEmpty { return [n] }
        }
        return []
    }

    /// The `@id`s of objects that carry no name of their own.
    static func references(_ value: Any) -> [String] {
        if let a = value as? [Any] { return a.flatMap { references($0) } }
        if let o = value as? [String: Any], o["name"] == nil, let id = o["@id"] as? String { return [id] }
        return []
    }

    static func url(_ value: Any) -> String? {
        if let s = value as? String { return s }
        if let a = value as? [Any] { return a.lazy.compactMap { url($0) }.first }
        if let o = value as? [String: Any] { return (o["url"] ?? o["contentUrl"]).flatMap { url($0) } }
        return nil
    }
}
