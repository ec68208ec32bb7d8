import CLibXML2
import Foundation

/// An untrusted XML document (a site's feed or sitemap) parsed safely by libxml2: no entity
/// substitution, no DTD loading, no network; an internal DTD subset is removed before
/// parsing so entity definitions (the "billion laughs") never reach the parser.
// @unchecked Sendable: the tree is never mutated after parsing and is freed only in deinit.
final class XMLTree: @unchecked Sendable {
    let pointer: xmlDocPtr

    /// Initializes libxml2 once and silences its error printing (also used before XPath compiles).
    static let initialize: Void = { tidings_xml_init() }()

    /// Parse options: recover from small errors, stay silent, never fetch anything, and no
    /// XML_PARSE_NOENT / XML_PARSE_DTDLOAD / XML_PARSE_DTDATTR.
    static let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue
        | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_COMPACT.rawValue)

    /// True when libxml2 stopped at its nesting limit (256 elements) and dropped the rest.
    let isCutShortByNesting: Bool

    init?(text: String, url: URL) {
        _ = Self.initialize
        let bytes = Array(Self.removingDoctype(text).utf8)
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max), let context = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(context) }
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // The text is already decoded: tell libxml2 it is UTF-8, whatever the prolog says.
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), url.absoluteString, "UTF-8", Self.options)
            }
        }
        guard let doc else { return nil }
        pointer = doc
        // "Excessive depth in document": libxml2 halts by disabling its own callbacks.
        isCutShortByNesting = context.pointee.disableSAX != 0 && context.pointee.errNo == Int32(XML_ERR_INTERNAL_ERROR.rawValue)
    }

    deinit { xmlFreeDoc(pointer) }

    var root: XMLTreeElement? { xmlDocGetRootElement(pointer).map { XMLTreeElement(pointer: $0, tree: self) } }

    /// Cuts `<!DOCTYPE …>` including an internal subset `[…]`.
    static func removingDoctype(_ text: String) -> String {
        guard let start = text.range(of: "<!DOCTYPE", options: [.caseInsensitive]) else { return text }
        var depth = 0
        var index = start.upperBound
        while index < text.endIndex {
            let c = text[index]
            if c == "[" { depth += 1 }
            else if c == "]" { depth -= 1 }
            else if c == ">" && depth <= 0 {
                return String(text[..<start.lowerBound]) + String(text[text.index(after: index)...])
            }
            index = text.index(after: index)
        }
        return String(text[..<start.lowerBound])
    }
}

/// An element of an `XMLTree`, addressed by local name (namespace prefixes ignored).
struct XMLTreeElement {
    let pointer: xmlNodePtr
    let tree: XMLTree

    var localName: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    var children: [XMLTreeElement] {
        var result: [XMLTreeElement] = []
        var child = pointer.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { result.append(XMLTreeElement(pointer: c, tree: tree)) }
            child = c.pointee.next
        }
        return result
    }

    func children(named name: String) -> [XMLTreeElement] { children.filter { $0.localName == name } }
    func child(_ name: String) -> XMLTreeElement? { children.first { $0.localName == name } }
    func child(_ name: String, namespace: String) -> XMLTreeElement? {
        children.first { $0.localName == name && $0.namespaceURI == namespace }
    }

    func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(pointer, name) else { return nil }
        defer { tidings_xml_free(value) }
        return String(cString: value)
    }

    /// Text of text and CDATA descendants only (entity references are skipped, never expanded).
    var text: String {
        var out = ""
        Self.collectText(pointer.pointee.children, into: &out)
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The element's children serialized back to markup (Atom `type="xhtml"` content).
    var innerXML: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        var child = pointer.pointee.children
        while let c = child {
            xmlNodeDump(buffer, tree.pointer, c, 0, 0)
            child = c.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// The base URI in effect here (`xml:base` on this element or an ancestor, else the document URL).
    var baseURL: URL? {
        guard let base = xmlNodeGetBase(tree.pointer, pointer) else { return nil }
        defer { tidings_xml_free(base) }
        return URL(string: String(cString: base))
    }

    private static func collectText(_ first: xmlNodePtr?, into out: inout String) {
        var node = first
        while let n = node {
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let c = n.pointee.content { out += String(cString: c) }
            case XML_ELEMENT_NODE:
                collectText(n.pointee.children, into: &out)
            default:
                break
            }
            node = n.pointee.next
        }
    }
}
