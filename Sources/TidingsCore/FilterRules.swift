/// Optional `[filter]` table: which stored articles a source's feed shows. Filters choose
/// what is published, never what is stored, so changing them takes effect at the next
/// publish without fetching anything again, and nothing is lost.
///
/// ```toml
/// [filter]
/// include   = "(?i)climate|weather"             # keep only articles where a pattern matches
/// exclude   = ["(?i)sponsored", { url = "/video/" }]
/// min_words = 150
/// ```
public struct FilterRules: Sendable, Hashable, Codable {
    /// When not empty, an article is shown only if one of these matches.
    public var include: [FilterPattern]
    /// An article is hidden when one of these matches.
    public var exclude: [FilterPattern]
    /// Articles with fewer words are hidden (a Han, kana or hangul character counts as one word).
    public var minWords: Int?

    public init(include: [FilterPattern] = [], exclude: [FilterPattern] = [], minWords: Int? = nil) {
        self.include = include
        self.exclude = exclude
        self.minWords = minWords
    }

    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty && minWords == nil }
}

/// A regular expression (Swift `Regex` syntax, as in Perl or Python; `(?i)` for any case)
/// and the fields of an article it is tried on.
public struct FilterPattern: Sendable, Hashable, Codable {
    public enum Field: String, Sendable, Hashable, Codable, CaseIterable {
        case title, author, text, url
    }

    public var pattern: String
    /// Written as a plain string, a pattern is tried on every field; as `{ title = "…" }`, on one.
    public var fields: [Field]

    public init(_ pattern: String, fields: [Field] = Field.allCases) {
        self.pattern = pattern
        self.fields = fields
    }

    /// Why `pattern` is not a usable regular expression, or nil.
    public static func problem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "an empty pattern matches every article" }
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "'\(pattern)' is not a regular expression: \(error)"
        }
    }
}
