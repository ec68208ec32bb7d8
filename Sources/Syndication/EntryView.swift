import Foundation
import TidingsCore

/// One entry's fields, cleaned once and shared by the Atom, RSS and JSON Feed writers so
/// all three say the same thing.
struct EntryView {
    var id: String
    var title: String
    /// The article's own time (or when Tidings first saw it), with its offset.
    var published: Timestamp
    var updated: Timestamp
    var link: String?
    /// The page the body came from: `xml:base` of the content, so a relative URL the
    /// sanitizer missed still resolves to the right place.
    var pageURL: String?
    /// The people named in the byline, in order (empty when there is none).
    var authors: [String]
    /// Sanitized body HTML; built from the plain text when the article has no HTML.
    var contentHTML: String
    var summary: String?
    var image: String?
    var imageType: String?
    /// The source's title (the feed's category for this entry).
    var sourceTitle: String
    /// The outlet (来源) that first published the story, when it is not the site itself.
    var outlet: String?
    var language: String?
    /// The same story elsewhere (combined feed only): `link rel="related"`.
    var relatedLinks: [String]
    /// The article's keywords (categories), cleaned, without duplicates or the source title.
    var keywords: [String]

    init(entry: FeedEntry, sourceTitle: String) {
        let article = entry.article
        id = FeedText.legal(entry.id).trimmingCharacters(in: .whitespacesAndNewlines)
        title = FeedText.title(article.title)
        published = entry.sortTime.printable ?? entry.firstSeen.printable ?? FeedHeader.epoch
        updated = entry.updated.printable ?? published
        link = FeedLinks.webURL(article.canonicalURL) ?? FeedLinks.webURL(article.url)
        relatedLinks = entry.relatedLinks.compactMap(FeedLinks.webURL)
        keywords = Self.keywords(article.keywords ?? [], excluding: [sourceTitle, article.outlet ?? ""])
        pageURL = FeedLinks.webURL(article.url)
        authors = AuthorNames.split(article.author)
        contentHTML = Self.body(html: article.html, text: article.text)
        summary = FeedText.nonEmptyLine(article.summary)
        if let leadImage = article.leadImage, let imageURL = FeedLinks.webURL(leadImage) {
            image = imageURL
            imageType = MediaTypeGuess.imageType(of: leadImage)
        }
        self.sourceTitle = FeedText.nonEmptyLine(sourceTitle) ?? entry.sourceID
        outlet = Self.outlet(article.outlet, differingFrom: self.sourceTitle, siteHost: article.url.host)
        language = LanguageTag.normalized(article.language)
    }

    /// The HTML body; paragraphs made from the plain text when the HTML is empty.
    static func body(html: String, text: String) -> String {
        let cleanHTML = FeedText.legal(html)
        if cleanHTML.contains(where: { !$0.isWhitespace }) { return cleanHTML }
        let paragraphs = FeedText.legal(text)
            .components(separatedBy: "\n\n")
            .map { FeedText.line($0) }
            .filter { !$0.isEmpty }
        return paragraphs.map { "<p>" + HTMLEscaping.escaped($0) + "</p>" }.joined(separator: "\n")
    }

    /// The outlet, unless it only names the site again (equal, or one contains the other,
    /// as in 来源: 新华网 on a page of 新华网国际).
    static func outlet(_ outlet: String?, differingFrom siteTitle: String, siteHost: String?) -> String? {
        guard let name = FeedText.nonEmptyLine(outlet) else { return nil }
        let a = name.lowercased(), b = siteTitle.lowercased()
        if a == b || a.contains(b) || b.contains(a) { return nil }
        if let host = siteHost?.lowercased(), host.contains(a) || a.contains(host) { return nil }
        return name
    }

    /// Keywords worth a category: trimmed one-liners, each once, at most `maximumKeywords`.
    static let maximumKeywords = 10

    static func keywords(_ raw: [String], excluding: [String]) -> [String] {
        var seen = Set(excluding)
        var result: [String] = []
        for keyword in raw {
            guard let clean = FeedText.nonEmptyLine(keyword), clean.count <= 60, seen.insert(clean).inserted else { continue }
            result.append(clean)
            if result.count == maximumKeywords { break }
        }
        return result
    }
}
