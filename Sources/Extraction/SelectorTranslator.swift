import CLibXML2
import Foundation

/// The one translator of the selectors in `feeds/*.toml` (`[discover] links`, `[extract]`
/// rules): discovery, extraction and `tidings check` all go through it, so a selector that
/// passes the check is the selector that runs.
///
/// Translates the documented CSS subset to XPath 1.0, and checks XPath selectors.
/// Supported: type selectors and `*`, `#id`, `.class`, `[attr]`, `[attr=v]`, `[attr*=v]`,
/// `[attr^=v]`, the descendant (space) and child (`>`) combinators, comma lists,
/// `:first-child` and `:nth-of-type(n)` (a whole number, with a type). A selector starting
/// with `/`, `./` or `(` is XPath and passes through after a syntax check.
public enum SelectorTranslator {
    public static let supportedSubset =
        "Supported CSS: type, *, #id, .class, [attr], [attr=v], [attr*=v], [attr^=v], descendant (space), child (>), comma lists, :first-child, :nth-of-type(n); or XPath starting with /, ./ or ("

    /// libxml2 is initialized (and its error printing silenced) before the first XPath compile.
    private static let initialize: Void = { tidings_xml_init() }()

    /// True when the text is XPath rather than CSS (no CSS selector starts with `/` or `(`).
    public static func isXPath(_ selector: String) -> Bool {
        let t = selector.trimmingCharacters(in: .whitespaces)
        return t.hasPrefix("/") || t.hasPrefix("./") || t.hasPrefix("(")
    }

    /// The XPath for a selector, or what part of it is outside the subset.
    public static func xpath(for selector: String) -> Result<String, SelectorError> {
        let trimmed = selector.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            return .failure(SelectorError(selector: selector, unsupportedPart: "", reason: "empty selector"))
        }
        if isXPath(trimmed) {
            return isValidXPath(trimmed) ? .success(trimmed)
                : .failure(SelectorError(selector: selector, unsupportedPart: trimmed, reason: "not a valid XPath 1.0 expression"))
        }
        do {
            var parser = CSSSubsetParser(selector: selector)
            return .success(try parser.parseList())
        } catch let error as SelectorError {
            return .failure(error)
        } catch {
            return .failure(SelectorError(selector: selector, unsupportedPart: selector, reason: "\(error)"))
        }
    }

    /// Compiles an XPath expression with libxml2 without evaluating it.
    static func isValidXPath(_ expression: String) -> Bool {
        _ = initialize
        guard let compiled = xmlXPathCompile(expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }
}

/// A hand-written scanner for the CSS subset; each compound becomes one XPath step.
struct CSSSubsetParser {
    let selector: String
    let chars: [Character]
    var index = 0

    init(selector: String) {
        self.selector = selector
        self.chars = Array(selector)
    }

    mutating func parseList() throws -> String {
        var alternatives: [String] = []
        repeat {
            skipSpaces()
            alternatives.append(try parseComplex())
            skipSpaces()
        } while consume(",")
        if index < chars.count { throw unsupported(from: index, "unexpected text") }
        return alternatives.joined(separator: " | ")
    }

    mutating func parseComplex() throws -> String {
        var xpath = "//" + (try parseCompound())
        while true {
            let hadSpace = skipSpaces()
            guard index < chars.count, chars[index] != "," else { break }
            if consume(">") {
                skipSpaces()
                xpath += "/" + (try parseCompound())
            } else if chars[index] == "+" || chars[index] == "~" {
                throw unsupported(from: index, length: 1, "sibling combinators are not supported")
            } else if hadSpace {
                xpath += "//" + (try parseCompound())
            } else {
                throw unsupported(from: index, "unexpected text")
            }
        }
        return xpath
    }

    mutating func parseCompound() throws -> String {
        let start = index
        var element = "*"
        var hasType = false
        if consume("*") {
            hasType = false
        } else if let name = identifier() {
            element = name.lowercased()
            hasType = true
        }
        var position: String?
        var predicates: [String] = []
        loop: while index < chars.count {
            let partStart = index
            switch chars[index] {
            case "#":
                index += 1
                guard let id = identifier() else { throw unsupported(from: partStart, "an id must follow #") }
                predicates.append("[@id=\(Self.literal(id))]")
            case ".":
                index += 1
                guard let name = identifier() else { throw unsupported(from: partStart, "a class name must follow .") }
                predicates.append("[contains(concat(' ', normalize-space(@class), ' '), \(Self.literal(" " + name + " ")))]")
            case "[":
                predicates.append(try parseAttribute())
            case ":":
                index += 1
                let name = identifier()?.lowercased() ?? ""
                if name == "first-child" {
                    predicates.append("[not(preceding-sibling::*)]")
                } else if name == "nth-of-type" && consume("(") {
                    let digits = String(chars[index...].prefix(while: \.isNumber))
                    index += digits.count
                    guard let n = Int(digits), n > 0, consume(")") else {
                        skipParenthesized()
                        throw unsupported(from: partStart, length: index - partStart, "only :nth-of-type(n) with a whole number n is supported")
                    }
                    guard hasType else { throw unsupported(from: start, length: index - start, ":nth-of-type(n) needs a type, e.g. li:nth-of-type(2)") }
                    guard position == nil else { throw unsupported(from: partStart, length: index - partStart, "only one :nth-of-type per compound") }
                    position = "[\(n)]"
                } else {
                    if index < chars.count && chars[index] == "(" { skipParenthesized() }
                    throw unsupported(from: partStart, length: index - partStart, "pseudo-class is not in the supported subset")
                }
            default:
                break loop
            }
        }
        if index == start {
            let length = index < chars.count ? 1 : 0
            throw unsupported(from: index, length: length, index < chars.count ? "unexpected character" : "a selector is missing")
        }
        return element + (position ?? "") + predicates.joined()
    }

    mutating func parseAttribute() throws -> String {
        let start = index
        index += 1   // [
        skipSpaces()
        guard let name = identifier()?.lowercased() else { throw unsupported(from: start, "an attribute name must follow [") }
        skipSpaces()
        if consume("]") { return "[@\(name)]" }
        var op = ""
        if consume("=") { op = "=" }
        else if consume("*=") { op = "*=" }
        else if consume("^=") { op = "^=" }
        else {
            let end = chars[index...].firstIndex(of: "]") ?? chars.count
            throw unsupported(from: start, length: min(end + 1, chars.count) - start,
                              "only [attr], [attr=v], [attr*=v] and [attr^=v] are supported")
        }
        skipSpaces()
        guard let value = quotedOrIdentifier() else { throw unsupported(from: start, "an attribute value is missing") }
        skipSpaces()
        guard consume("]") else { throw unsupported(from: start, "] is missing") }
        switch op {
        case "=": return "[@\(name)=\(Self.literal(value))]"
        case "*=": return "[contains(@\(name), \(Self.literal(value)))]"
        default: return "[starts-with(@\(name), \(Self.literal(value)))]"
        }
    }

    // MARK: scanning

    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while index < chars.count && chars[index].isWhitespace { index += 1 }
        return index > start
    }

    mutating func consume(_ token: String) -> Bool {
        let t = Array(token)
        guard index + t.count <= chars.count, Array(chars[index..<index + t.count]) == t else { return false }
        index += t.count
        return true
    }

    mutating func identifier() -> String? {
        let start = index
        while index < chars.count {
            let c = chars[index]
            if c.isLetter || c.isNumber || c == "-" || c == "_" || (c.unicodeScalars.first?.value ?? 0) > 0x7F { index += 1 } else { break }
        }
        return index > start ? String(chars[start..<index]) : nil
    }

    mutating func quotedOrIdentifier() -> String? {
        guard index < chars.count else { return nil }
        let quote = chars[index]
        guard quote == "'" || quote == "\"" else { return identifier() }
        guard let end = chars[(index + 1)...].firstIndex(of: quote) else { return nil }
        let value = String(chars[(index + 1)..<end])
        index = end + 1
        return value
    }

    mutating func skipParenthesized() {
        if let end = chars[index...].firstIndex(of: ")") { index = end + 1 } else { index = chars.count }
    }

    func unsupported(from start: Int, length: Int? = nil, _ reason: String) -> SelectorError {
        let end = min(chars.count, start + max(1, length ?? (chars.count - start)))
        let part = start < chars.count ? String(chars[start..<end]) : ""
        return SelectorError(selector: selector, unsupportedPart: part, reason: reason)
    }

    /// An XPath 1.0 string literal (which has no escapes: use the other quote or concat()).
    static func literal(_ value: String) -> String {
        if !value.contains("'") { return "'\(value)'" }
        if !value.contains("\"") { return "\"\(value)\"" }
        let parts = value.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }
        return "concat(" + parts.joined(separator: ", \"'\", ") + ")"
    }
}
