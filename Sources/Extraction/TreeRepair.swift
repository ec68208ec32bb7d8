import CLibXML2
import Foundation

/// Puts back where a browser shows them the parts of a page libxml2 leaves outside `<body>`.
/// HTML's parser closes `<head>` at the first element that does not belong there and merges a
/// second `<html>` tag into the first; libxml2 keeps an unknown element (`<mbox>`, a stray
/// `<tr>`) and everything after it inside `<head>`, and a broken `<html …>` start tag followed
/// by another makes two roots, the page's text under the second. Either way the page looked
/// empty ("no visible text") while a browser shows its article (6 of 3,989 pages of the
/// development corpus; 3 of them articles). Runs once, right after parsing.
enum TreeRepair {
    /// Elements HTML allows in `<head>`; any other element there starts the body.
    static let headElements: Set<String> = ["title", "meta", "link", "style", "script", "base", "noscript", "template"]

    static func repair(_ doc: xmlDocPtr) {
        guard let root = xmlDocGetRootElement(doc) else { return }
        mergeLaterRoots(into: root)
        moveBodyContentOutOfHead(root, doc: doc)
        moveContentAfterBodyIntoIt(root)
    }

    /// What follows `</body>` (libxml2 makes it the root's children) belongs to the body.
    private static func moveContentAfterBodyIntoIt(_ root: xmlNodePtr) {
        guard let body = firstChild(of: root, named: "body") else { return }
        var node = body.pointee.next
        while let n = node {
            node = n.pointee.next
            xmlUnlinkNode(n)
            xmlAddChild(body, n)
        }
    }

    /// Children of other `<html>` elements (later siblings of the root, or children of it) move
    /// into the root; their `<head>` and `<body>` join the root's own, the rest joins its body.
    private static func mergeLaterRoots(into root: xmlNodePtr) {
        var extra: [xmlNodePtr] = []
        for first in [root.pointee.next, root.pointee.children] {
            var node = first
            while let n = node {
                if isElement(n, named: "html") { extra.append(n) }
                node = n.pointee.next
            }
        }
        for other in extra {
            xmlUnlinkNode(other)
            var child = other.pointee.children
            while let c = child {
                child = c.pointee.next
                xmlUnlinkNode(c)
                if let name = elementName(c), name == "head" || name == "body", let own = firstChild(of: root, named: name) {
                    moveChildren(of: c, appendingTo: own)
                    xmlFreeNode(c)
                } else {
                    xmlAddChild(firstChild(of: root, named: "body") ?? root, c)
                }
            }
            xmlFreeNode(other)
        }
    }

    /// From the first element of `<head>` that does not belong there, the rest of `<head>`
    /// moves to the start of `<body>` (made when there is none).
    private static func moveBodyContentOutOfHead(_ root: xmlNodePtr, doc: xmlDocPtr) {
        guard let head = firstChild(of: root, named: "head") else { return }
        var start = head.pointee.children
        while let s = start, elementName(s).map(headElements.contains) ?? true {  // text and comments stay
            start = s.pointee.next
        }
        guard let first = start else { return }
        let body: xmlNodePtr
        if let existing = firstChild(of: root, named: "body") {
            body = existing
        } else {
            guard let made = xmlNewDocNode(doc, nil, "body", nil) else { return }
            xmlAddNextSibling(head, made)
            body = made
        }
        let anchor = body.pointee.children
        var node: xmlNodePtr? = first
        while let n = node {
            node = n.pointee.next
            xmlUnlinkNode(n)
            if let anchor { xmlAddPrevSibling(anchor, n) } else { xmlAddChild(body, n) }
        }
    }

    private static func moveChildren(of from: xmlNodePtr, appendingTo to: xmlNodePtr) {
        var child = from.pointee.children
        while let c = child {
            child = c.pointee.next
            xmlUnlinkNode(c)
            xmlAddChild(to, c)
        }
    }

    private static func firstChild(of parent: xmlNodePtr, named name: String) -> xmlNodePtr? {
        var child = parent.pointee.children
        while let c = child {
            if isElement(c, named: name) { return c }
            child = c.pointee.next
        }
        return nil
    }

    private static func isElement(_ node: xmlNodePtr, named name: String) -> Bool {
        elementName(node) == name
    }

    private static func elementName(_ node: xmlNodePtr) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return nil }
        return String(cString: name)
    }
}
