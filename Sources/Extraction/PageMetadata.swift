import CLibXML2
import Foundation

/// Metadata the page declares: `<meta>` tags, JSON-LD, `<title>`, `<h1>`, `<html lang>`,
/// canonical link, `<time>` elements and author-marked elements.
struct PageMetadata {
    /// Lower-cased `name`/`property`/`itemprop`/`http-equiv` → first non-empty `content`.
    var metas: [String: String] = [:]
    var titleTag: String?
    var headings: [String] = []
    var language: String?
    var canonical: String?
    var timeElements: [(datetime: String, isPublished: Bool)] = []
    var authorElements: [String] = []
    var jsonLD = JSONLinkedData()

    init(document: HTMLDocument) {
        for node in document.select(xpath: "//meta") {
            let p = node.pointer
            guard let content = DocumentAnalysis.attributeString(p, "content")?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !content.isEmpty else { continue }
            for key in ["name", "property", "itemprop", "http-equiv"] {
                if let k = DocumentAnalysis.attributeString(p, key)?.lowercased().trimmingCharacters(in: .whitespaces),
                   !k.isEmpty, metas[k] == nil {
                    metas[k] = content
                }
            }
        }
        titleTag = document.select(xpath: "//title").first.map { Self.clean($0.text) }
        headings = document.select(xpath: "//body//h1").prefix(3).map { Self.clean($0.text) }.filter { !$0.isEmpty }
        if let root = document.root?.pointer {
            language = DocumentAnalysis.attributeString(root, "lang") ?? DocumentAnalysis.attributeString(root, "xml:lang")
        }
        canonical = document.select(xpath: "//link[@rel='canonical']/@href").first.map { $0.text }
        for node in document.select(xpath: "//time[@datetime] | //*[@itemprop='datePublished' or @itemprop='dateCreated']") {
            let p = node.pointer
            let value = DocumentAnalysis.attributeString(p, "datetime") ?? DocumentAnalysis.attributeString(p, "content") ?? node.text
            let itemprop = DocumentAnalysis.attributeString(p, "itemprop") ?? ""
            let isPublished = itemprop.hasPrefix("date") || DocumentAnalysis.attributeString(p, "pubdate") != nil
                || (DocumentAnalysis.attributeString(p, "class") ?? "").lowercased().contains("publish")
            timeElements.append((value.trimmingCharacters(in: .whitespacesAndNewlines), isPublished))
        }
        let authorXPath = "//*[@rel='author' or @itemprop='author' or contains(@class,'author') or contains(@class,'byline')]"
        for node in document.select(xpath: authorXPath).prefix(8) {
            if node.name == "meta" || node.name == "link" || node.name == "body" || node.name == "html" { continue }
            let text = Self.clean(node.text)
            if !text.isEmpty && text.count <= 100 { authorElements.append(text) }
        }
        for script in document.select(xpath: "//script[@type='application/ld+json']") {
            jsonLD.add(script.text)
        }
    }

    func meta(_ keys: [String]) -> String? {
        for k in keys { if let v = metas[k] { return v } }
        return nil
    }

    static func clean(_ s: String) -> String {
        var out = ""
        var space = false
        for ch in s.unicodeScalars {
            if PlainTextWriter.isSpace(ch) { space = !out.isEmpty; continue }
            guard XMLText.isLegal(ch) else { continue }
            if space { out.unicodeScalars.append(" "); space = false }
            out.unicodeScalars.append(ch)
        }
        return out
    }
}

/// The article fields of a page's JSON-LD (`Article`, `NewsArticle`, `BlogPosting`, … also inside `@graph`).
struct JSONLinkedData {
    var headline: String?
    var datePublished: String?
    var dateModified: String?
    var authors: [String] = []
    var publisher: String?
    var image: String?

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "scholarlyarticle", "techarticle", "liveblogposting", "webpage", "socialmediaposting",
        "review", "report", "medicalwebpage", "itempage",
    ]

    mutating func add(_ script: String) {
        guard let data = script.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return }
        visit(json, depth: 0)
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
        guard types.contains(where: { Self.articleTypes.contains($0) }) else {
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
        if authors.isEmpty, let a = object["author"] ?? object["creator"] { authors = Self.names(a, people: true) }
        if publisher == nil, let p = object["publisher"] { publisher = Self.names(p, people: false).first }
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

    static func url(_ value: Any) -> String? {
        if let s = value as? String { return s }
        if let a = value as? [Any] { return a.lazy.compactMap { url($0) }.first }
        if let o = value as? [String: Any] { return (o["url"] ?? o["contentUrl"]).flatMap { url($0) } }
        return nil
    }
}
