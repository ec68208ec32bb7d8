import CLibXML2
import Foundation

/// The attributes the extractor reads, found in one pass over an element's attribute list
/// (instead of one `xmlHasProp` walk per name). Values point into the libxml2 tree.
struct ElementAttributes {
    var classList: UnsafePointer<UInt8>?
    var id: UnsafePointer<UInt8>?
    var role: UnsafePointer<UInt8>?
    var style: UnsafePointer<UInt8>?
    var itemprop: UnsafePointer<UInt8>?
    var rel: UnsafePointer<UInt8>?
    var datetime: UnsafePointer<UInt8>?
    var content: UnsafePointer<UInt8>?
    var title: UnsafePointer<UInt8>?
    var isHiddenAttribute = false
    var isAriaHidden = false
    var hasAriaLabelledBy = false
    var hasAny = false

    /// A collapsed panel of an accordion (WAI-ARIA: `role="region"` named by its header's
    /// `aria-labelledby`): part of the page's text that the reader expands, not hidden furniture.
    var isAccordionPanel: Bool { hasAriaLabelledBy && Self.equals(role, "region") }

    init(_ node: xmlNodePtr) {
        var attr = node.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            guard let rawName = a.pointee.name else { continue }
            hasAny = true
            let name = UnsafeRawPointer(rawName).assumingMemoryBound(to: CChar.self)
            let value = a.pointee.children?.pointee.content.map { UnsafePointer($0) }
            switch rawName.pointee {
            case UInt8(ascii: "c"):
                if strcmp(name, "class") == 0 { classList = value } else if strcmp(name, "content") == 0 { content = value }
            case UInt8(ascii: "i"):
                if strcmp(name, "id") == 0 { id = value } else if strcmp(name, "itemprop") == 0 { itemprop = value }
            case UInt8(ascii: "r"):
                if strcmp(name, "role") == 0 { role = value } else if strcmp(name, "rel") == 0 { rel = value }
            case UInt8(ascii: "s"):
                if strcmp(name, "style") == 0 { style = value }
            case UInt8(ascii: "h"):
                if strcmp(name, "hidden") == 0 { isHiddenAttribute = true }
            case UInt8(ascii: "a"):
                if strcmp(name, "aria-hidden") == 0, let value, strcmp(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self), "true") == 0 {
                    isAriaHidden = true
                } else if strcmp(name, "aria-labelledby") == 0 {
                    hasAriaLabelledBy = true
                }
            case UInt8(ascii: "d"):
                if strcmp(name, "datetime") == 0 { datetime = value }
            case UInt8(ascii: "t"):
                if strcmp(name, "title") == 0 { title = value }
            default: break
            }
        }
    }

    static func string(_ value: UnsafePointer<UInt8>?) -> String? { value.map { String(cString: $0) } }

    static func equals(_ value: UnsafePointer<UInt8>?, _ literal: String) -> Bool {
        guard let value else { return false }
        return strcmp(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self), literal) == 0
    }
}
