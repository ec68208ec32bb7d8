import Extraction
import Foundation

/// What a browser or feed reader could execute or be redirected by in HTML that Tidings
/// wrote: the checks behind the XSS table test and the sanitizer's fuzz target. The HTML is
/// parsed (libxml2) and walked; a lexical pass first makes sure the parse means what a
/// browser's would (no entity only HTML5 knows, every tag well formed).
public enum ActiveContent {
    /// Elements the sanitized body of an entry may contain (the parser adds html/head/body).
    public static let contentElements: Set<String> = [
        "html", "head", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
        "figure", "figcaption", "a", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "code", "em",
        "strong", "b", "i", "sub", "sup", "q", "cite", "small", "abbr", "del", "ins", "mark", "time", "img", "br", "hr",
        "span", "div",
    ]

    /// Attributes that hold a URL a browser may load or navigate to.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "cite", "longdesc", "usemap",
        "codebase", "lowsrc", "dynsrc", "ping", "manifest", "icon", "profile", "classid", "archive", "code", "xml:base",
    ]

    /// Attributes that run code or restyle the page whatever their value.
    static let activeAttributes: Set<String> = ["style", "srcdoc", "http-equiv", "formaction", "action", "xmlns", "is", "autofocus"]

    public static let safeSchemes: Set<String> = ["http", "https", "mailto"]

    /// Problems in `html`, each naming the construct; empty when nothing can run.
    /// `allowedElements` nil checks attributes and URLs only (a page with its own head).
    public static func problems(inHTML html: String, allowedElements: Set<String>? = contentElements, lexical: Bool = true) -> [String] {
        var found = lexical ? lexicalProblems(html) : []
        guard let document = HTMLDocument(html: html, url: URL(string: "https://reader.example/")!), let root = document.root else {
            return found
        }
        var stack = [root]
        while let node = stack.popLast() {
            for child in node.children.reversed() where child.isElement { stack.append(child) }
            let name = node.name
            if let allowedElements, !allowedElements.contains(name) { found.append("element <\(name)>") }
            if name == "script" || name == "iframe" || name == "object" || name == "embed" || name == "base" || name == "form" {
                found.append("element <\(name)>")
            }
            if name == "meta", let content = node.attribute("content"), content.lowercased().contains("url") {
                found.append("<meta content=\"\(content)\">")
            }
            for (attribute, value) in node.attributes {
                if attribute.hasPrefix("on") { found.append("event handler \(attribute) on <\(name)>") }
                if activeAttributes.contains(attribute) { found.append("attribute \(attribute) on <\(name)>") }
                if urlAttributes.contains(attribute), !isSafeURL(value) { found.append("\(attribute)=\"\(value)\" on <\(name)>") }
                if attribute == "srcset" {
                    for url in srcsetURLs(value) where !isSafeURL(url) {
                        found.append("srcset candidate \"\(url)\" on <\(name)>")
                    }
                }
            }
        }
        return found
    }

    /// The URLs a browser reads from a `srcset`, by the HTML standard's grammar (written here
    /// apart from the extractor's reader, so the check does not share its mistakes): a URL is a
    /// run of non-space characters (commas inside it included, trailing commas dropped); the
    /// descriptors after it end at a comma outside parentheses.
    public static func srcsetURLs(_ value: String) -> [String] {
        let characters = Array(value.unicodeScalars)
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
        var urls: [String] = [], i = 0
        while i < characters.count {
            while i < characters.count, isSpace(characters[i]) || characters[i] == "," { i += 1 }
            let start = i
            while i < characters.count, !isSpace(characters[i]) { i += 1 }
            guard start < i else { break }
            var url = String(String.UnicodeScalarView(characters[start..<i]))
            if url.hasSuffix(",") {
                while url.hasSuffix(",") { url.removeLast() }
            } else {
                var depth = 0
                while i < characters.count {
                    let c = characters[i]
                    if c == "(" { depth += 1 } else if c == ")" { depth = max(0, depth - 1) } else if c == ",", depth == 0 { break }
                    i += 1
                }
            }
            if !url.isEmpty { urls.append(url) }
        }
        return urls
    }

    /// A URL a browser would load as http, https or mailto, or a relative reference; what
    /// browsers ignore in a scheme (tabs and newlines anywhere, leading spaces and controls,
    /// case) is ignored here too.
    public static func isSafeURL(_ value: String) -> Bool {
        let cleaned = String(value.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" })
        let trimmed = cleaned.drop { $0.unicodeScalars.allSatisfy { $0.value <= 0x20 } }
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let scheme = trimmed[..<colon]
        // A colon after a path, query or fragment starts no scheme.
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        return safeSchemes.contains(scheme.lowercased())
    }

    /// Character references a browser and libxml2 read alike.
    static let plainReferences = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;", "&nbsp;"]

    /// A character reference at `i` that libxml2 might read differently from a browser.
    static func referenceProblem(_ bytes: [UInt8], at i: Int) -> String? {
        let rest = bytes[i...].prefix(12)
        if plainReferences.contains(where: { rest.starts(with: $0.utf8) }) { return nil }
        if rest.starts(with: "&#".utf8) {
            var j = i + 2
            let hex = j < bytes.count && (bytes[j] | 0x20) == UInt8(ascii: "x")
            if hex { j += 1 }
            var value = 0
            let start = j
            while j < bytes.count, j - start < 8, let digit = hex ? hexDigit(bytes[j]) : decimalDigit(bytes[j]) {
                value = value * (hex ? 16 : 10) + digit
                j += 1
            }
            // A control character by reference is one a browser may skip in a URL scheme.
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
            if j > start && j < bytes.count && bytes[j] == UInt8(ascii: ";") && !isControl { return nil }
        }
        return "character reference \(String(decoding: rest, as: UTF8.self).debugDescription) at byte \(i)"
    }

    static func decimalDigit(_ b: UInt8) -> Int? { b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil }
    static func hexDigit(_ b: UInt8) -> Int? {
        if let d = decimalDigit(b) { return d }
        let lower = b | 0x20
        return lower >= 0x61 && lower <= 0x66 ? Int(lower - 0x61 + 10) : nil
    }

    /// Tags of the form `<name attr="value" …>` or `</name>`, only character references both
    /// parsers agree on, no control characters: what libxml2 then parses is what a browser
    /// would see.
    public static func lexicalProblems(_ html: String) -> [String] {
        let bytes = Array(html.utf8)
        var found: [String] = []
        var i = 0
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
        }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "&"):
                if let problem = referenceProblem(bytes, at: i) { found.append(problem) }
                i += 1
            case UInt8(ascii: "<"):
                var j = i + 1
                let closing = j < bytes.count && bytes[j] == UInt8(ascii: "/")
                if closing { j += 1 }
                let nameStart = j
                while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
                var wellFormed = j > nameStart
                while wellFormed, !closing, j < bytes.count, bytes[j] == UInt8(ascii: " ") {
                    j += 1
                    let attributeStart = j
                    while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
                    guard j > attributeStart, j + 1 < bytes.count, bytes[j] == UInt8(ascii: "="), bytes[j + 1] == UInt8(ascii: "\"") else {
                        wellFormed = false
                        break
                    }
                    j += 2
                    while j < bytes.count, bytes[j] != UInt8(ascii: "\""), bytes[j] != UInt8(ascii: "<") {
                        if bytes[j] == UInt8(ascii: "&"), let problem = referenceProblem(bytes, at: j) { found.append(problem) }
                        j += 1
                    }
                    wellFormed = j < bytes.count && bytes[j] == UInt8(ascii: "\"")
                    j += 1
                }
                if !(wellFormed && j < bytes.count && bytes[j] == UInt8(ascii: ">")) {
                    found.append("malformed tag \(String(decoding: bytes[i...].prefix(40), as: UTF8.self).debugDescription)")
                }
                i = max(i + 1, j)
            case 0x00..<0x09, 0x0B, 0x0C, 0x0E..<0x20, 0x7F:
                // libxml2 stops at a NUL where a browser reads on; other controls are as odd.
                found.append("control character 0x\(String(bytes[i], radix: 16)) at byte \(i)")
                i += 1
            default:
                i += 1
            }
        }
        return found
    }
}
