import CLibXML2
import CXMLArena
import Foundation

/// A parsed HTML page (libxml2's DOM). Shared by Extraction and Discovery.
// @unchecked Sendable: the tree is never mutated after parsing (`TreeRepair` runs inside it), and libxml2 allows
// concurrent reads of one document once xmlInitParser has run.
public final class HTMLDocument: @unchecked Sendable {
    let pointer: xmlDocPtr
    /// The page's own URL (after redirects): what the page is, whatever it declares.
    public let url: URL
    /// The URL relative links resolve against (the page's final URL or its <base href>).
    public let baseURL: URL

    /// The memory libxml2 allocated while parsing this document (`CXMLArena`), released after
    /// the document is freed; nil when the arena is unavailable (malloc was used).
    private let arena: OpaquePointer?

    private static let initialize: Void = {
        tidings_arena_install()
        tidings_xml_init()
    }()

    /// Parses decoded HTML text. The text is handed to libxml2 as UTF-8 and any
    /// `<meta charset>` inside is ignored: the caller chose the encoding already.
    public convenience init?(html: String, url: URL) {
        self.init(utf8: Array(html.utf8), url: url)
    }

    /// Parses UTF-8 bytes (already decoded from the page's charset). A page nested deeper
    /// than libxml2 reads is parsed again with its deepest tags left out (`NestingFlattener`),
    /// so its text is still there.
    init?(utf8 bytes: [UInt8], url: URL) {
        _ = Self.initialize
        let utf8 = bytes.isEmpty ? Array("<html></html>".utf8) : bytes
        guard var parsed = Self.parse(utf8, url: url) else { return nil }
        var flattened = false
        if parsed.stoppedTooDeep {
            xmlFreeDoc(parsed.doc)
            tidings_arena_release(parsed.arena)
            guard let again = Self.parse(NestingFlattener.flattened(utf8), url: url) else { return nil }
            parsed = again
            flattened = true
        }
        pointer = parsed.doc
        arena = parsed.arena
        wasFlattened = flattened
        isCutShortByNesting = parsed.stoppedTooDeep
        self.url = url
        var base = url
        if let href = Self.baseHref(parsed.doc), let resolved = URL(string: href, relativeTo: url)?.absoluteURL {
            base = resolved
        }
        baseURL = base
    }

    /// True when the page nested deeper than libxml2 reads and was parsed with its deepest
    /// tags left out (all its text kept).
    public let wasFlattened: Bool
    /// True when libxml2 stopped early even so: the text after that point is missing.
    public let isCutShortByNesting: Bool

    static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
        | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// One libxml2 parse, its allocations made in a new arena; `stoppedTooDeep` when it halted
    /// at its nesting limit ("Excessive depth in document"), which it does by disabling its own callbacks.
    private static func parse(_ utf8: [UInt8], url: URL) -> (doc: xmlDocPtr, arena: OpaquePointer?, stoppedTooDeep: Bool)? {
        guard utf8.count <= Int(Int32.max) else { return nil }
        // this thread's error record is made before the arena, so it never lives in one
        xmlResetLastError()
        let arena = tidings_arena_begin()
        let parsed: (doc: xmlDocPtr, stoppedTooDeep: Bool)? = {
            guard let context = htmlNewParserCtxt() else { return nil }
            defer { htmlFreeParserCtxt(context) }
            let doc = utf8.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), url.absoluteString, "UTF-8", options)
                }
            }
            guard let doc else { return nil }
            TreeRepair.repair(doc)
            return (doc, context.pointee.disableSAX != 0 && context.pointee.errNo == Int32(XML_ERR_INTERNAL_ERROR.rawValue))
        }()
        // the last parse error was copied into this thread's record from arena memory: forget it
        xmlResetLastError()
        tidings_arena_end(arena)
        guard let parsed else {
            tidings_arena_release(arena)
            return nil
        }
        return (parsed.doc, arena, parsed.stoppedTooDeep)
    }

    deinit {
        xmlFreeDoc(pointer)
        tidings_arena_release(arena)
    }

    /// The `<html>` element.
    public var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map { HTMLNode($0, in: self) }
    }

    /// Nodes matching an XPath expression, in document order; an invalid expression gives [].
    public func select(xpath: String, from context: HTMLNode? = nil) -> [HTMLNode] {
        guard let ctx = xmlXPathNewContext(pointer) else { return [] }
        defer { xmlXPathFreeContext(ctx) }
        if let context { ctx.pointee.node = context.pointer }
        guard let result = xmlXPathEvalExpression(xpath, ctx) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0 else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { i in
            set.pointee.nodeTab[i].map { HTMLNode($0, in: self) }
        }
    }

    /// Resolves a possibly relative reference against the page's base URL.
    public func absoluteURL(_ reference: String) -> URL? {
        let trimmed = TextSearch.trimmed(reference)
        guard !trimmed.isEmpty else { return nil }
        if let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL { return url }
        let escaped = trimmed.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(["%", "#"]))
        return escaped.flatMap { URL(string: $0, relativeTo: baseURL)?.absoluteURL }
    }

    /// `<head><base href>` without an XPath query (that would walk the whole tree).
    private static func baseHref(_ doc: xmlDocPtr) -> String? {
        guard let root = xmlDocGetRootElement(doc) else { return nil }
        var child = root.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, let name = c.pointee.name, String(cString: name).lowercased() == "head" {
                var inner = c.pointee.children
                while let b = inner {
                    if b.pointee.type == XML_ELEMENT_NODE, let n = b.pointee.name, String(cString: n).lowercased() == "base",
                       let href = xmlGetProp(b, "href") {
                        defer { tidings_xml_free(href) }
                        return String(cString: href)
                    }
                    inner = b.pointee.next
                }
                return nil
            }
            child = c.pointee.next
        }
        return nil
    }
}
