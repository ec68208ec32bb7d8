import CLibXML2
import Foundation

/// A node of an `HTMLDocument`; keeps its document alive.
public struct HTMLNode: @unchecked Sendable, Hashable {
    let pointer: xmlNodePtr
    public let document: HTMLDocument

    init(_ pointer: xmlNodePtr, in document: HTMLDocument) {
        self.pointer = pointer
        self.document = document
    }

    public static func == (lhs: HTMLNode, rhs: HTMLNode) -> Bool { lhs.pointer == rhs.pointer }
    public func hash(into hasher: inout Hasher) { hasher.combine(pointer) }

    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    public var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }
    public var isComment: Bool { pointer.pointee.type == XML_COMMENT_NODE }

    /// Lower-case tag name for elements ("p", "div"); "#text" for text nodes.
    public var name: String {
        if isText { return "#text" }
        guard let n = pointer.pointee.name else { return "" }
        return String(cString: n).lowercased()
    }

    public func attribute(_ name: String) -> String? {
        guard isElement, let value = xmlGetProp(pointer, name) else { return nil }
        defer { tidings_xml_free(value) }
        return String(cString: value)
    }

    /// All attributes as (name, value) pairs in source order.
    public var attributes: [(name: String, value: String)] {
        var result: [(String, String)] = []
        var attr = pointer.pointee.properties
        while let a = attr {
            let name = a.pointee.name.map { String(cString: $0) } ?? ""
            let value = a.pointee.children.map { Self.content(of: $0) } ?? ""
            result.append((name.lowercased(), value))
            attr = a.pointee.next
        }
        return result
    }

    public var parent: HTMLNode? {
        guard let p = pointer.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(p, in: document)
    }

    public var children: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = pointer.pointee.children
        while let c = child {
            result.append(HTMLNode(c, in: document))
            child = c.pointee.next
        }
        return result
    }

    public var elementChildren: [HTMLNode] { children.filter(\.isElement) }

    public var nextSibling: HTMLNode? { pointer.pointee.next.map { HTMLNode($0, in: document) } }
    public var previousSibling: HTMLNode? { pointer.pointee.prev.map { HTMLNode($0, in: document) } }

    /// The raw text of a text node; for elements, all descendant text concatenated.
    public var text: String { Self.content(of: pointer) }

    /// Depth below the root element.
    public var depth: Int {
        var d = 0
        var p = pointer.pointee.parent
        while let node = p, node.pointee.type == XML_ELEMENT_NODE { d += 1; p = node.pointee.parent }
        return d
    }

    /// Calls `visit` for this node and every descendant in document order; returning false skips a subtree.
    public func walk(_ visit: (HTMLNode) -> Bool) {
        guard visit(self) else { return }
        var child = pointer.pointee.children
        while let c = child {
            HTMLNode(c, in: document).walk(visit)
            child = c.pointee.next
        }
    }

    /// Descendant elements with the given tag name, in document order.
    public func descendants(named tag: String) -> [HTMLNode] {
        var found: [HTMLNode] = []
        for child in elementChildren {
            child.walk { node in
                if node.isElement && node.name == tag { found.append(node) }
                return true
            }
        }
        return found
    }

    static func content(of node: xmlNodePtr) -> String {
        guard let c = xmlNodeGetContent(node) else { return "" }
        defer { tidings_xml_free(c) }
        return String(cString: c)
    }
}
