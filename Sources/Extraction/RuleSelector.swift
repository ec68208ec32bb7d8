/// A selector from `[extract]` rules: XPath when it starts with `/`, `./` or `(`, else a small
/// CSS subset (tag, `#id`, `.class`, `[attr]`, `[attr=value]`, descendant and `>` combinators,
/// comma lists) translated to XPath.
struct RuleSelector {
    let xpath: String?

    init(_ selector: String) {
        let s = selector.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasPrefix("/") || s.hasPrefix("./") || s.hasPrefix("(") {
            xpath = s
        } else {
            xpath = Self.translate(s)
        }
    }

    func select(in document: HTMLDocument) -> [HTMLNode] {
        guard let xpath else { return [] }
        return document.select(xpath: xpath)
    }

    /// Translates the supported CSS subset; nil when the selector uses anything else.
    static func translate(_ css: String) -> String? {
        var alternatives: [String] = []
        for part in css.split(separator: ",") {
            var path = ""
            var combinator = "//"
            let tokens = part.replacingOccurrences(of: ">", with: " > ").split(separator: " ")
            guard !tokens.isEmpty else { return nil }
            for token in tokens {
                if token == ">" { combinator = "/"; continue }
                guard let step = step(String(token)) else { return nil }
                path += combinator + step
                combinator = "//"
            }
            alternatives.append(path)
        }
        return alternatives.isEmpty ? nil : alternatives.joined(separator: " | ")
    }

    private static func step(_ token: String) -> String? {
        var tag = ""
        var predicates: [String] = []
        var i = token.startIndex
        func readName() -> String {
            let start = i
            while i < token.endIndex, token[i].isLetter || token[i].isNumber || token[i] == "-" || token[i] == "_" {
                i = token.index(after: i)
            }
            return String(token[start..<i])
        }
        tag = readName().lowercased()
        while i < token.endIndex {
            let c = token[i]
            i = token.index(after: i)
            switch c {
            case "#":
                let name = readName()
                guard !name.isEmpty else { return nil }
                predicates.append("@id='\(name)'")
            case ".":
                let name = readName()
                guard !name.isEmpty else { return nil }
                predicates.append("contains(concat(' ',normalize-space(@class),' '),' \(name) ')")
            case "[":
                guard let close = token[i...].firstIndex(of: "]") else { return nil }
                let inner = token[i..<close]
                i = token.index(after: close)
                let kv = inner.split(separator: "=", maxSplits: 1)
                let name = kv[0].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
                if kv.count == 2 {
                    let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                    guard !value.contains("'") else { return nil }
                    predicates.append("@\(name)='\(value)'")
                } else {
                    predicates.append("@\(name)")
                }
            default:
                return nil
            }
        }
        return (tag.isEmpty ? "*" : tag) + predicates.map { "[\($0)]" }.joined()
    }
}

import Foundation
