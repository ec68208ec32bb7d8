import Foundation

/// Class and id names split into whole lower-case tokens: at `-`, `_`, spaces and other
/// punctuation, at camelCase humps and at letter/digit boundaries, so `position-relative`,
/// `sideBySide`, `tower-inhouse-ad` and `list2` give `position relative`, `side by side`,
/// `tower inhouse ad` and `list 2`. Signals match whole tokens only, never substrings.
enum NameTokens {
    static func tokens(_ name: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        func flush() {
            if !current.isEmpty { result.append(String(current).lowercased()); current.removeAll() }
        }
        for scalar in name.unicodeScalars {
            let isLetter = scalar.properties.isAlphabetic
            let isDigit = ("0"..."9").contains(scalar)
            guard isLetter || isDigit else { flush(); previous = nil; continue }
            if let p = previous {
                let pDigit = ("0"..."9").contains(p)
                let hump = scalar.properties.isUppercase && p.properties.isLowercase
                if hump || pDigit != isDigit { flush() }
            }
            current.append(scalar)
            previous = scalar
        }
        flush()
        return result
    }

    /// Tokens of an element's class and id attributes together.
    static func tokens(classes: String, id: String) -> Set<String> {
        Set(tokens(classes) + tokens(id))
    }
}
