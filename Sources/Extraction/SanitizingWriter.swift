import CLibXML2
import Foundation

/// Writes kept content as allowlisted HTML: known-safe tags only, attributes href/src/srcset/
/// alt/title (+ table spans), http/https/mailto URLs made absolute, lazy images resolved, text
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

    mutating func text(_ raw: String) {
        var hasContent = false
        for s in raw.unicodeScalars where !PlainTextWriter.isSpace(s) { hasContent = true; break }
        if hasContent { ensureInlineContext() } else if !implicitParagraphOpen && inlineContexts == 0 { return }
        output += Self.escapeText(XMLText.clean(raw))
    }

    mutating func lineBreak(_ name: String) {
        if inlineContexts > 0 || implicitParagraphOpen {
            if name == "br" { output += "<br>" }
        } else if name == "hr" {
            output += "<hr>"
        }
    }

    mutating func image(_ node: xmlNodePtr) {
        guard let src = imageSource(node) else { return }
        ensureInlineContext()
        var attributes = " src=\"\(Self.escapeAttribute(src))\""
        if let srcset = DocumentAnalysis.attributeString(node, "srcset") ?? DocumentAnalysis.attributeString(node, "data-srcset"),
           let absolute = absoluteSrcset(srcset) {
            attributes += " srcset=\"\(Self.escapeAttribute(absolute))\""
        }
        for attr in ["alt", "title"] {
            if let v = DocumentAnalysis.attributeString(node, attr), !v.isEmpty {
                attributes += " \(attr)=\"\(Self.escapeAttribute(XMLText.clean(v)))\""
            }
        }
        output += "<img\(attributes)>"
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
        let parts = srcset.split(separator: ",").compactMap { candidate -> String? in
            let pieces = candidate.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = pieces.first, let url = safeURL(String(first)) else { return nil }
            return ([url] + pieces.dropFirst().map(String.init)).joined(separator: " ")
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

    static func escapeText(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func escapeAttribute(_ s: String) -> String {
        escapeText(s).replacingOccurrences(of: "\"", with: "&quot;")
    }
}
