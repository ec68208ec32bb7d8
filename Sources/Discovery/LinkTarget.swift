import Foundation
import Extraction

/// Turning an `<a>` into a target URL and a title.
enum LinkTarget {
    static let ignoredSchemes: Set<String> = ["javascript", "mailto", "tel", "sms", "data", "about", "ftp", "weixin"]
    static let followedSchemes: Set<String> = ["http", "https", "file"]

    /// The absolute URL of an href, without its fragment; nil for `javascript:`, `#top` & co.
    static func resolve(_ href: String, in document: HTMLDocument) -> URL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        if let colon = trimmed.firstIndex(of: ":"),
           ignoredSchemes.contains(trimmed[..<colon].lowercased()) { return nil }
        guard let url = document.absoluteURL(trimmed),
              let scheme = url.scheme?.lowercased(), followedSchemes.contains(scheme) else { return nil }
        return withoutFragment(url)
    }

    static func withoutFragment(_ url: URL) -> URL {
        guard url.fragment != nil, var c = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url }
        c.fragment = nil
        return c.url ?? url
    }

    /// The visible text, or a heading inside the anchor when it wraps a whole card, or the
    /// `title` attribute (image links, truncated titles).
    static func title(of anchor: HTMLNode) -> String {
        let text = HeadlineText.normalize(anchor.text)
        // A card wrapped in one anchor: its heading is the title, not heading + teaser + label.
        for tag in ["h1", "h2", "h3", "h4", "h5"] {
            if let heading = anchor.descendants(named: tag).first {
                let t = HeadlineText.normalize(heading.text)
                if !t.isEmpty { return t }
            }
        }
        // Kicker, headline, summary: the first part that reads like a headline (summaries come after it).
        let parts = anchor.elementChildren.map { HeadlineText.normalize($0.text) }.filter { !$0.isEmpty }
        if parts.count >= 2, let headline = parts.first(where: HeadlineText.looksLikeHeadline) {
            return headline
        }
        let attribute = HeadlineText.normalize(anchor.attribute("title") ?? "")
        if text.isEmpty {
            if !attribute.isEmpty { return attribute }
            // A card's overlay link is named for screen readers (`<a aria-label="…" href>`), an
            // image-only card link by its image (`<img alt="Onit Podcast">`).
            let label = HeadlineText.normalize(anchor.attribute("aria-label") ?? "")
            if !label.isEmpty { return label }
            if let image = anchor.descendants(named: "img").first {
                return HeadlineText.normalize(image.attribute("alt") ?? "")
            }
            return attribute
        }
        // Portals cut long titles in the visible text ("青溪市老城区雨污分流…") and keep the full one in title=.
        if attribute.count > text.count, text.hasSuffix("…") || text.hasSuffix("...") || text.hasSuffix("..") {
            return attribute
        }
        return text
    }

    /// Letters in the text right before and after a link that make it part of running prose
    /// (`…said <a>the company</a> on Monday, adding…`) rather than an item of a list, where
    /// the neighbours are separators (` | `, `, `), dates or nothing. Fitted on the summary
    /// paragraphs of bench/discovery's dev half (theverge.com's teaser texts).
    static let proseLetters = 20

    /// True when text with letters stands on both sides of the anchor, together at least
    /// `proseLetters` letters: a link inside a sentence. Reads only the two neighbours.
    static func isInProse(_ anchor: HTMLNode) -> Bool {
        func letters(_ node: HTMLNode?) -> Int? {
            guard let node, node.isText else { return nil }
            let n = node.text.unicodeScalars.filter(\.properties.isAlphabetic).count
            return n > 0 ? n : nil
        }
        guard let before = letters(anchor.previousSibling), let after = letters(anchor.nextSibling) else { return false }
        return before + after >= proseLetters
    }
}
