import Extraction
import Foundation

/// Measures of a link's text: does it read like a headline?
enum HeadlineText {
    /// Chinese/Japanese headlines on the portals of the labelled set run 10–30 Han characters;
    /// navigation and "更多" links 2–6. Tuned on Tests/DiscoveryTests/Fixtures/listings.
    static let minimumCJKCharacters = 8
    /// English headlines in the labelled set have 5–14 words; menus 1–3 ("World", "Sign in").
    static let minimumWords = 4
    /// Text longer than this is a whole teaser card wrapped in one anchor, not a title.
    static let maximumCharacters = 160

    /// Collapses runs of whitespace (including U+3000 and NBSP) into one space, drops control
    /// characters (illegal in XML feeds) and trims.
    static func normalize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{3000}" || scalar == "\u{A0}" {
                pendingSpace = !out.isEmpty
            } else if scalar.properties.generalCategory == .control || scalar == "\u{FFFE}" || scalar == "\u{FFFF}" {
                continue
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool { CJKScript.contains(scalar) }

    static func cjkCount(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isCJK($1) ? 1 : 0) }
    }

    /// Words that contain a letter (so "|" or "2025" do not count).
    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " }).reduce(0) { count, word in
            count + (word.unicodeScalars.contains { $0.properties.isAlphabetic && !isCJK($0) } ? 1 : 0)
        }
    }

    /// True when the text has a word with a letter, more letters than digits, or two CJK
    /// characters: a short title such as "Cities" or "要闻", not a date, a count or nothing.
    static func hasWords(_ text: String) -> Bool {
        if cjkCount(text) >= 2 { return true }
        let letters = text.unicodeScalars.filter(\.properties.isAlphabetic).count
        let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) }.count
        // "Mar 2, 2026" and "May 28-29 26" are dates: more digits than letters.
        return wordCount(text) >= 1 && letters > digits
    }

    /// True when the text is long enough to be an article title in its script, however long
    /// (a teaser card wrapped in one anchor whose title could not be told from its summary).
    static func looksLikeTitle(_ text: String) -> Bool {
        cjkCount(text) >= minimumCJKCharacters || wordCount(text) >= minimumWords
    }

    /// True when the text is long enough to be an article title in its script.
    static func looksLikeHeadline(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= maximumCharacters else { return false }
        return cjkCount(text) >= minimumCJKCharacters || wordCount(text) >= minimumWords
    }
}
