/// Writes an XML document as indented UTF-8. Every text and attribute value goes through
/// `TextEscaper`, so nothing a page contained can end an element, a CDATA-like `]]>` or the document.
struct XMLBuilder {
    private var bytes: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".utf8)
    private var openElements: [String] = []

    typealias Attributes = [(String, String?)]

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Starts an element that will hold other elements.
    mutating func open(_ name: String, _ attributes: Attributes = []) {
        indent()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        render(attributes)
        bytes.append(contentsOf: ">\n".utf8)
        openElements.append(name)
    }

    /// Ends the innermost open element.
    mutating func close() {
        let name = openElements.removeLast()
        indent()
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ">\n".utf8)
    }

    /// An element with text content, or empty (`<name …/>`) when `content` is nil.
    mutating func element(_ name: String, _ attributes: Attributes = [], _ content: String? = nil) {
        indent()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        render(attributes)
        if let content {
            bytes.append(UInt8(ascii: ">"))
            TextEscaper.append(content, for: .xmlText, to: &bytes)
            bytes.append(contentsOf: "</".utf8)
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: ">\n".utf8)
        } else {
            bytes.append(contentsOf: "/>\n".utf8)
        }
    }

    private mutating func indent() {
        for _ in openElements { bytes.append(contentsOf: "  ".utf8) }
    }

    private mutating func render(_ attributes: Attributes) {
        for (name, value) in attributes {
            guard let value else { continue }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            TextEscaper.append(value, for: .xmlAttribute, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
