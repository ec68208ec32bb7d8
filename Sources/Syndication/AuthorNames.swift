/// Splits a byline into the people it names: `张三、李四`, `Jane Doe and John Roe`,
/// `A; B`. Plain commas are left alone: `Jane Doe, Staff Writer` is one author.
enum AuthorNames {
    /// Separators between names in bylines of the seed corpus: the CJK enumeration comma and
    /// full-width comma, semicolons, slashes, and English "and" / "&".
    static let separators = ["、", "，", "；", ";", " / ", " and ", " & "]

    static func split(_ byline: String?) -> [String] {
        let line = FeedText.line(byline)
        guard !line.isEmpty else { return [] }
        var parts = [line]
        for separator in separators {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        var seen = Set<String>()
        return parts.map { FeedText.line($0) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
