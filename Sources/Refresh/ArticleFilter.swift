import Extraction
import Foundation
import Storage
import TidingsCore

/// A source's `[filter]` applied to stored entries: which of them its feed shows. The store
/// keeps every article; only the published view is filtered.
struct ArticleFilter {
    private struct Compiled {
        var regex: Regex<AnyRegexOutput>
        var fields: [FilterPattern.Field]
    }

    private let include: [Compiled]
    private let exclude: [Compiled]
    private let minimumWords: Int?

    /// Patterns were checked when the file was read; one that does not compile now is skipped.
    init(_ rules: FilterRules) {
        func compile(_ patterns: [FilterPattern]) -> [Compiled] {
            patterns.compactMap { pattern in (try? Regex(pattern.pattern)).map { Compiled(regex: $0, fields: pattern.fields) } }
        }
        include = compile(rules.include)
        exclude = compile(rules.exclude)
        minimumWords = rules.minWords
    }

    var isEmpty: Bool { include.isEmpty && exclude.isEmpty && minimumWords == nil }

    func admits(_ article: Article) -> Bool {
        if let minimumWords, WordCount.of(article.text) < minimumWords { return false }
        if !include.isEmpty && !include.contains(where: { matches($0, article) }) { return false }
        return !exclude.contains { matches($0, article) }
    }

    private func matches(_ pattern: Compiled, _ article: Article) -> Bool {
        pattern.fields.contains { field in
            switch field {
            case .title: article.title.contains(pattern.regex)
            case .author: article.author?.contains(pattern.regex) ?? false
            case .text: article.text.contains(pattern.regex)
            case .url: article.url.absoluteString.contains(pattern.regex) || article.canonicalURL.absoluteString.contains(pattern.regex)
            }
        }
    }

    /// At most this many stored entries are read to fill one filtered feed, so a filter that
    /// matches almost nothing cannot make every publish read the whole store.
    static let maximumScanned = 10_000
}
