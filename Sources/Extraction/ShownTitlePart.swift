import CLibXML2
import Foundation

/// The headline inside a declared title that `TitleCleaner`'s separators could not split
/// (`The Hindu : Business : BSNL offers …`, `Timberlake Appearing in Super Bowl Ad|ABC 7 News`,
/// `Lukla Airport …- Travel-Services-News`): the part the page itself shows as the whole text of
/// an element. Site and section names show up too, but in links, navigation, headers and
/// footers, which are not read; the headline stands alone in the page's own text. A page that
/// shows the whole title as one text keeps it whole.
enum ShownTitlePart {
    /// Looser than `TitleCleaner.separators` (colons, slashes, unspaced bars and hyphens): safe
    /// here because a part counts only when an element of the page says exactly it.
    static let separators = TitleCleaner.separators + [" : ", ": ", " / ", "|", "-", " •"]
    /// A part needs this many words (or CJK characters, `TitleWords`) to be a headline: one word
    /// is as often a section name (`Business`, `Arts`). Fitted on the fit half (2,617 titled pages).
    static let minimumWords = 2

    static func part(of title: String, in analysis: DocumentAnalysis) -> String? {
        var parts: [String] = [title]
        for sep in separators { parts = parts.flatMap { $0.components(separatedBy: sep) } }
        let wanted = Set(parts.map { PageMetadata.clean($0) }.filter {
            $0 != title && TitleWords.words($0).count >= minimumWords && !$0.contains("©")
        })
        guard parts.count > 1, !wanted.isEmpty else { return nil }
        let shortest = wanted.map(\.utf8.count).min()!, longest = title.utf8.count
        var found: String?
        var excluded = [Bool](repeating: false, count: analysis.records.count)
        for i in analysis.records.indices.dropFirst(analysis.bodyIndex) {
            let r = analysis.records[i]
            excluded[i] = (r.parent >= 0 && excluded[r.parent]) || r.isBoilerplate || r.kind == .link
                || r.name == "header" || r.name == "footer" || r.name == "nav"
            if excluded[i] { continue }
            var child = r.pointer.pointee.children
            while let c = child {
                defer { child = c.pointee.next }
                guard c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content else { continue }
                let bytes = strlen(content)
                // surrounding spaces and line breaks may make a matching node somewhat longer
                guard bytes >= shortest, bytes <= longest * 2 + 16 else { continue }
                let text = PageMetadata.clean(String(cString: content))
                // the page shows the whole title as its headline (`Kicker: Headline` in one heading)
                if text == title { return nil }
                if wanted.contains(text), text.utf8.count > (found?.utf8.count ?? 0) { found = text }
            }
        }
        return found
    }
}
