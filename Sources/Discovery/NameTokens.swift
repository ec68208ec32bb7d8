import Foundation
import Extraction

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

    /// Tokens of an element's class and id attributes together. Two kinds of class say nothing
    /// about what the element is, so their tokens are left out: a taxonomy term (WordPress
    /// `tag-hot-coffee`, `category-social-media`: what the post is about) and a feature
    /// modifier (`td_with_ajax_pagination`, `has-sidebar`, `no-ads`: what the element holds or
    /// lacks, not what it is: a list with a "load more" pager is still the list).
    static func tokens(classes: String, id: String) -> Set<String> {
        var result = Set(tokens(id))
        for name in classes.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }) {
            let t = tokens(String(name))
            if t.count > 1 && taxonomyPrefixes.contains(t[0]) { continue }
            if t.dropLast().contains(where: modifierTokens.contains) { continue }
            result.formUnion(t)
        }
        return result
    }

    private static let taxonomyPrefixes = Set(ClassVocabulary.taxonomyPrefixes)
    private static let modifierTokens: Set<String> = ["has", "with", "without", "no"]
}
