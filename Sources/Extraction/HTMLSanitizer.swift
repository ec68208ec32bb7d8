import CLibXML2
import Foundation

/// The sanitizer on its own: a whole page or fragment written as extraction writes the
/// content it keeps (`SanitizingWriter`), with nothing chosen or pruned. Elements that are
/// dropped everywhere (script, style, forms, embedded media, …) go with their contents.
public enum HTMLSanitizer {
    public static func sanitize(html: String, url: URL) -> String {
        guard let document = HTMLDocument(html: html, url: url), let root = xmlDocGetRootElement(document.pointer) else { return "" }
        var writer = SanitizingWriter(document: document)
        var kinds = ElementKindCache()
        write(root, into: &writer, kinds: &kinds)
        writer.finish()
        return writer.output
    }

    /// Depth-first without recursion, so no page can exhaust the stack.
    private static func write(_ root: xmlNodePtr, into writer: inout SanitizingWriter, kinds: inout ElementKindCache) {
        var open: [(node: xmlNodePtr, name: String, kind: ElementKind)] = []
        var node: xmlNodePtr? = root
        walk: while let current = node {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let (name, kind) = kinds.lookup(current.pointee.name)
                switch kind {
                case .dropped: break
                case .image: writer.image(current)
                case .lineBreak: writer.lineBreak(name)
                default:
                    writer.open(current, name: name, kind: kind)
                    if let child = current.pointee.children {
                        open.append((current, name, kind))
                        node = child
                        continue walk
                    }
                    writer.close(name: name, kind: kind)
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { writer.text(UnsafePointer(content)) }
            default:
                break  // comments, processing instructions, DTD nodes
            }
            // The next sibling, or the next sibling of the nearest open ancestor that has one.
            var following = current == root ? nil : current.pointee.next
            while following == nil, let parent = open.popLast() {
                writer.close(name: parent.name, kind: parent.kind)
                if parent.node == root { break walk }
                following = parent.node.pointee.next
            }
            node = following
        }
    }
}
