import CLibXML2
import Foundation

/// Writes kept content as allowlisted HTML: known-safe tags only, attributes href/src/srcset/
/// alt/title/width/height (+ table spans), http/https/mailto URLs made absolute, lazy images resolved, text
/// escaped and free of XML-illegal characters. Other containers are unwrapped; text lying
/// directly in them is wrapped in `<p>`.
struct SanitizingWriter {
    let document: HTMLDocument
    private(set) var output = ""
    private var stack: [String?] = []
    /// Open elements that accept inline content (p, li, td, …).
    private var inlineContexts = 0
    private var implicitParagraphOpen = false
    /// Stack height when the implicit paragraph opened; elements above it close with it.
    private var implicitParagraphBase = 0
    private var openTables = 0
    static let tableParts: Set<String> = ["thead", "tbody", "tfoot", "tr", "td", "th", "caption"]

    /// Tags kept as they are.
    static let allowedTags: Set<String> = [
        "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption",
        "a", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "code", "em", "strong", "b", "i",
        "sub", "sup", "q", "cite", "small", "abbr", "del", "ins", "mark", "time",
    ]
    /// Kept tags in which text may appear directly.
    static let inlineHosts: Set<String> = [
        "p", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "figcaption", "td", "th", "caption", "pre",
    ]
    static let lazyImageAttributes = ["data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url", "original"]

    init(document: HTMLDocument) { self.document = document }

    mutating func open(_ node: xmlNodePtr, name: String, kind: ElementKind) {
        if kind.isBlock { closeImplicitParagraph() }
        guard Self.allowedTags.contains(name), openTables > 0 || !Self.tableParts.contains(name) else {
            stack.append(nil)
            return
        }
        if name == "table" { openTables += 1 }
        if !kind.isBlock { ensureInlineContext() }
        var attributes = ""
        switch name {
        case "a":
            if let href = DocumentAnalysis.attributeString(node, "href"), let url = safeURL(href) {
                attributes += " href=\"\(Self.escapeAttribute(url))\""
            }
            if let t = DocumentAnalysis.attributeString(node, "title"), !t.isEmpty {
                attributes += " title=\"\(Self.escapeAttribute(t))\""
            }
        case "td", "th":
            for attr in ["colspan", "rowspan"] {
                if let v = DocumentAnalysis.attributeString(node, attr), let n = Int(v.trimmingCharacters(in: .whitespaces)), n > 1, n < 100 {
                    attributes += " \(attr)=\"\(n)\""
                }
            }
        default: break
        }
        output += "<\(name)\(attributes)>"
        stack.append(name)
        if Self.inlineHosts.contains(name) { inlineContexts += 1 }
    }

    mutating func close(name: String, kind: ElementKind) {
        // a paragraph opened inside this element (`<figure><img></figure>`) closes with it
        if implicitParagraphOpen && implicitParagraphBase >= stack.count { closeImplicitParagraph() }
        guard let open = stack.popLast() else { return }
        if let open {
            if open == "table" { openTables -= 1 }
            if Self.inlineHosts.contains(open) {
                closeImplicitParagraph()
                inlineContexts -= 1
            }
            output += "</\(open)>"
        }
        if kind.isBlock { closeImplicitParagraph() }
    }

    /// Appends NUL-terminated UTF-8 text, escaped and without XML-illegal characters.
    mutating func text(_ raw: UnsafePointer<UInt8>) {
        var hasContent = false
        var p = raw
        while p.pointee != 0 {
            let length = UTF8Scan.sequenceLength(p)
            if !UTF8Scan.isSpace(p, length) { hasContent = true; break }
            p += length
        }
        if hasContent { ensureInlineContext() } else if !implicitParagraphOpen && inlineContexts == 0 { return }
        var buffer: [UInt8] = []
        p = raw
        while p.pointee != 0 {
            let length = UTF8Scan.sequenceLength(p)
            if UTF8Scan.isIllegal(p, length) { p += length; continue }
            switch p.pointee {
            case UInt8(ascii: "&"): buffer += Array("&amp;".utf8)
            case UInt8(ascii: "<"): buffer += Array("&lt;".utf8)
            case UInt8(ascii: ">"): buffer += Array("&gt;".utf8)
            default: for k in 0..<length { buffer.append(p[k]) }
            }
            p += length
        }
        output += String(decoding: buffer, as: UTF8.self)
    }

    mutating func lineBreak(_ name: String) {
        if inlineContexts > 0 || implicitParagraphOpen {
            if name == "br" { output += "<br>" }
        } else if name == "hr" {
            output += "<hr>"
        }
    }

    /// An `<img>` or a `<picture>` as one `<img>`: the best candidate is the `src` (see
    /// `ImageChoice`), the `<img>`'s own `srcset` is kept for readers that use it.
    mutating func image(_ node: xmlNodePtr) {
        guard let choice = ImageChoice.choose(node, resolve: { safeURL($0) }, fallbackSource: { imageSource($0) }) else { return }
        let image = Self.innerImage(of: node)
        ensureInlineContext()
        var attributes = " src=\"\(Self.escapeAttribute(choice.url))\""
        if let image, let srcset = DocumentAnalysis.attributeString(image, "srcset") ?? DocumentAnalysis.attributeString(image, "data-srcset"),
           let absolute = absoluteSrcset(srcset) {
            attributes += " srcset=\"\(Self.escapeAttribute(absolute))\""
        }
        if let width = choice.width, let height = choice.height {
            attributes += " width=\"\(width)\" height=\"\(height)\""
        }
        for attr in ["alt", "title"] {
            if let image, let v = DocumentAnalysis.attributeString(image, attr), !v.isEmpty {
                attributes += " \(attr)=\"\(Self.escapeAttribute(XMLText.clean(v)))\""
            }
        }
        output += "<img\(attributes)>"
    }

    /// The `<img>` itself, or the first `<img>` inside a `<picture>`.
    private static func innerImage(of node: xmlNodePtr) -> xmlNodePtr? {
        guard let name = node.pointee.name, String(cString: name).lowercased() == "picture" else { return node }
        var sources: [xmlNodePtr] = [], image: xmlNodePtr?
        ImageChoice.collect(in: node, sources: &sources, image: &image, depth: 0)
        return image
    }

    mutating func finish() {
        closeImplicitParagraph()
        while let open = stack.popLast() { if let open { output += "</\(open)>" } }
    }

    /// The image URL, preferring lazy-loading attributes when `src` is missing or a placeholder.
    func imageSource(_ node: xmlNodePtr) -> String? {
        let src = DocumentAnalysis.attributeString(node, "src")
        let placeholder = src.map { s in
            let l = s.lowercased()
            return l.hasPrefix("data:") || l.contains("blank.") || l.contains("placeholder") || l.contains("spacer")
                || l.contains("loading.") || l.contains("lazy") || l.isEmpty
        } ?? true
        if placeholder {
            for attr in Self.lazyImageAttributes {
                if let v = DocumentAnalysis.attributeString(node, attr), let url = safeURL(v) { return url }
            }
        }
        return src.flatMap(safeURL)
    }

    /// An absolute http/https/mailto URL, or nil for anything else (javascript:, data:, …).
    func safeURL(_ reference: String) -> String? {
        let trimmed = TextSearch.trimmed(reference)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") || trimmed.count > 1 else { return nil }
        guard let url = document.absoluteURL(trimmed), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" || scheme == "mailto" else { return nil }
        return url.absoluteString
    }

    private func absoluteSrcset(_ srcset: String) -> String? {
        let parts = ImageChoice.candidates(ofSrcset: srcset).compactMap { c -> String? in
            guard let url = safeURL(c.reference) else { return nil }
            if let w = c.width { return "\(url) \(w)w" }
            if let x = c.density { return "\(url) \(x == x.rounded() && x < 1e6 ? String(Int(x)) : String(x))x" }
            return url
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    private mutating func ensureInlineContext() {
        if inlineContexts == 0 && !implicitParagraphOpen {
            output += "<p>"
            implicitParagraphOpen = true
            implicitParagraphBase = stack.count
        }
    }

    private mutating func closeImplicitParagraph() {
        guard implicitParagraphOpen else { return }
        for i in stride(from: stack.count - 1, through: implicitParagraphBase, by: -1) {
            guard let open = stack[i] else { continue }
            output += "</\(open)>"
            if open == "table" { openTables -= 1 }
            if Self.inlineHosts.contains(open) { inlineContexts -= 1 }
            stack[i] = nil
        }
        output += "</p>"
        implicitParagraphOpen = false
    }

    static func escapeText(_ s: String) -> String { escape(s, quotes: false) }

    static func escapeAttribute(_ s: String) -> String { escape(s, quotes: true) }

    private static func escape(_ s: String, quotes: Bool) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && $0 == 0x22) }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22 where quotes: out += Array("&quot;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
