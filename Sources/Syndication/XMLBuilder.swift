/// Writes an XML document as indented text. Every text and attribute value goes through
/// `escaped`, so nothing a page contained can end an element, a CDATA-like `]]>` or the document.
struct XMLBuilder {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    private var openElements: [String] = []

    typealias Attributes = [(String, String?)]

    /// Starts an element that will hold other elements.
    mutating func open(_ name: String, _ attributes: Attributes = []) {
        indent()
        text += "<" + name + Self.render(attributes) + ">\n"
        openElements.append(name)
    }

    /// Ends the innermost open element.
    mutating func close() {
        let name = openElements.removeLast()
        indent()
        text += "</" + name + ">\n"
    }

    /// An element with text content, or empty (`<name …/>`) when `content` is nil.
    mutating func element(_ name: String, _ attributes: Attributes = [], _ content: String? = nil) {
        indent()
        text += "<" + name + Self.render(attributes)
        if let content {
            text += ">" + Self.escaped(content) + "</" + name + ">\n"
        } else {
            text += "/>\n"
        }
    }

    private mutating func indent() {
        text += String(repeating: "  ", count: openElements.count)
    }

    private static func render(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes {
            guard let value else { continue }
            result += " " + name + "=\"" + escaped(value, inAttribute: true) + "\""
        }
        return result
    }

    /// Escapes markup characters and drops what XML forbids. In attributes, quotes and the
    /// whitespace that attribute normalization would otherwise flatten are escaped too.
    static func escaped(_ value: String, inAttribute: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for scalar in FeedText.legal(value).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where inAttribute: result += "&quot;"
            case "\n" where inAttribute: result += "&#10;"
            case "\t" where inAttribute: result += "&#9;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
