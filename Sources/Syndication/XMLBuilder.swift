/// Writes an XML document as indented UTF-8. Every text and attribute value goes through
/// `TextEscaper`, so nothing a page contained can end an element, a CDATA-like `]]>` or the document.
struct XMLBuilder {
    static let declaration = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".utf8)

    private(set) var bytes: [UInt8]
    private var openElements: [String] = []
    /// Indentation of the outermost element written: a fragment meant to sit inside
    /// elements that another builder opens (an entry inside a feed) starts deeper.
    private let baseDepth: Int

    typealias Attributes = [(String, String?)]

    /// A document (with the XML declaration), or a fragment at `depth` without one.
    init(fragmentAt depth: Int? = nil) {
        bytes = depth == nil ? Self.declaration : []
        baseDepth = depth ?? 0
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Removes and returns what was written so far (the open elements stay open).
    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

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
        for _ in 0..<(baseDepth + openElements.count) { bytes.append(contentsOf: "  ".utf8) }
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
