import CLibXML2

/// How the extractor treats an HTML element.
enum ElementKind: UInt8 {
    /// Dropped with its contents everywhere (script, style, forms, embedded media, …).
    case dropped
    /// Page furniture that never holds the article (nav, aside, footer, …) unless a rule says so.
    case furniture
    /// A block that holds running text itself (p, li, h2, …).
    case paragraph
    /// A heading.
    case heading
    /// A block container (div, td, section, …): may hold text directly (old `<br>` layouts).
    case container
    /// A list container (ul, ol, dl).
    case list
    /// Table structure (table, tbody, tr).
    case tableStructure
    /// Inline markup (a, span, font, b, …).
    case inline
    /// A link.
    case link
    /// A line break.
    case lineBreak
    /// An image.
    case image

    var isBlock: Bool {
        switch self {
        case .inline, .link, .lineBreak, .image, .dropped: return false
        default: return true
        }
    }

    static func of(_ name: String) -> ElementKind {
        switch name {
        case "script", "style", "noscript", "iframe", "object", "embed", "button", "input",
             "select", "textarea", "template", "canvas", "video", "audio", "map", "link", "meta",
             "head", "title", "dialog", "label":
            return .dropped
        case "nav", "aside", "footer", "header", "menu":
            return .furniture
        case "p", "li", "dd", "dt", "pre", "blockquote", "address", "figcaption", "caption", "center", "summary":
            return .paragraph
        case "h1", "h2", "h3", "h4", "h5", "h6":
            return .heading
        case "ul", "ol", "dl":
            return .list
        case "table", "tbody", "thead", "tfoot", "tr":
            return .tableStructure
        case "a":
            return .link
        case "br", "hr":
            return .lineBreak
        case "img", "picture":
            return .image
        case "span", "font", "b", "strong", "i", "em", "u", "s", "small", "big", "sup", "sub", "abbr", "cite",
             "code", "time", "mark", "q", "var", "kbd", "samp", "tt", "strike", "del", "ins", "bdi", "bdo",
             "nobr", "wbr", "dfn", "acronym", "source", "data", "ruby", "rt", "rp",
             // libxml2's HTML parser does not know SVG/MathML self-closing tags (`<path/>`), so an
             // inline icon may swallow the rest of the page: treat them as transparent inline markup.
             "svg", "path", "g", "use", "symbol", "defs", "circle", "rect", "polygon", "polyline", "line",
             "ellipse", "lineargradient", "stop", "clippath", "mask", "math":
            return .inline
        default:
            // div, td, th, section, article, main, body, html, figure, unknown custom elements
            return .container
        }
    }
}

/// Interns libxml2's tag-name pointers (names come from the document's dictionary, so
/// equal names usually share one pointer) to avoid building a String per element.
struct ElementKindCache {
    private var byPointer: [UnsafePointer<xmlChar>: (String, ElementKind)] = [:]

    mutating func lookup(_ namePointer: UnsafePointer<xmlChar>?) -> (name: String, kind: ElementKind) {
        guard let namePointer else { return ("", .inline) }
        if let hit = byPointer[namePointer] { return hit }
        let name = String(cString: namePointer).lowercased()
        let entry = (name, ElementKind.of(name))
        byPointer[namePointer] = entry
        return entry
    }
}
