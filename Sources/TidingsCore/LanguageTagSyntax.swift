/// Checks that a source's `language` is a well-formed BCP 47 tag (RFC 5646 §2.1), so a typo
/// is an error in `tidings check` instead of a feed whose `xml:lang` readers ignore.
/// Well-formed only: the subtags are not looked up in the IANA registry.
public enum LanguageTagSyntax {
    /// Why `tag` is not a well-formed language tag, or nil.
    public static func problem(_ tag: String) -> String? {
        if tag.contains("_"), isWellFormed(tag.replacingOccurrences(of: "_", with: "-")) {
            return "'\(tag)' is not a BCP 47 language tag; did you mean '\(tag.replacingOccurrences(of: "_", with: "-"))'?"
        }
        return isWellFormed(tag) ? nil : "'\(tag)' is not a BCP 47 language tag such as en, zh-CN, zh-Hant-TW or pt-BR"
    }

    /// language[-extlang]… [-script] [-region] [-variant]… [-extension]… [-x-private], or x-private.
    static func isWellFormed(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false).map { String($0).lowercased() }
        guard subtags.allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy(isAlphanumeric) }) else { return false }
        var i = 0
        if subtags[0] == "x" { return isPrivateUse(subtags, from: 0) }
        // language: an ISO 639 code of 2–3 letters, with up to three 3-letter extlangs. (The
        // grammar also allows 4–8 letters, but no such language subtag is registered, and
        // `english` or `chinese` is exactly the mistake this check is for.)
        guard subtags[0].allSatisfy(isLetter), (2...3).contains(subtags[0].count) else { return false }
        i = 1
        var extlangs = 0
        while i < subtags.count, extlangs < 3, subtags[i].count == 3, subtags[i].allSatisfy(isLetter) {
            i += 1; extlangs += 1
        }
        if i < subtags.count, subtags[i].count == 4, subtags[i].allSatisfy(isLetter) { i += 1 }   // script
        if i < subtags.count, (subtags[i].count == 2 && subtags[i].allSatisfy(isLetter))
            || (subtags[i].count == 3 && subtags[i].allSatisfy(\.isNumber)) { i += 1 }          // region
        while i < subtags.count, isVariant(subtags[i]) { i += 1 }
        var singletons: Set<String> = []
        while i < subtags.count, subtags[i].count == 1, subtags[i] != "x" {
            guard singletons.insert(subtags[i]).inserted else { return false }   // §2.2.6: each singleton once
            i += 1
            let start = i
            while i < subtags.count, subtags[i].count >= 2 { i += 1 }
            guard i > start else { return false }
        }
        if i < subtags.count, subtags[i] == "x" { return isPrivateUse(subtags, from: i) }
        return i == subtags.count
    }

    static func isVariant(_ subtag: String) -> Bool {
        (5...8).contains(subtag.count) || (subtag.count == 4 && subtag.first?.isNumber == true)
    }

    static func isPrivateUse(_ subtags: [String], from start: Int) -> Bool {
        subtags.count > start + 1
    }

    static func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
    static func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
}
