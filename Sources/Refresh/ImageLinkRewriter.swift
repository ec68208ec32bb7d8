import Foundation
import TidingsCore

/// Points the images of a source's entries at the daemon's proxy (`images = "proxy"`):
/// `src` and every `srcset` candidate of `<img>` and `<source>` in the body, and the lead
/// image (the enclosure). Rewritten when the feeds are written, not when stored, so
/// switching a source between modes needs no re-fetch.
struct ImageLinkRewriter: Sendable {
    let link: ImageProxyLink
    let baseURL: URL

    func rewrite(_ entries: [FeedEntry], sourceID: String) -> [FeedEntry] {
        entries.map { entry in
            var entry = entry
            entry.article.html = html(entry.article.html, sourceID: sourceID)
            if let lead = entry.article.leadImage { entry.article.leadImage = proxied(lead, sourceID: sourceID) ?? lead }
            return entry
        }
    }

    func proxied(_ image: URL, sourceID: String) -> URL? {
        guard let scheme = image.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        if image.absoluteString.hasPrefix(proxyPrefix) { return image }   // already proxied
        return link.url(for: image, sourceID: sourceID, baseURL: baseURL)
    }

    private var proxyPrefix: String {
        let base = baseURL.absoluteString
        return (base.hasSuffix("/") ? base : base + "/") + ImageProxyLink.pathPrefix + "/"
    }

    /// The body with its image URLs proxied. The body is the sanitizer's output (double-quoted
    /// attributes, entities escaped), so a tag scanner suffices; anything it does not
    /// recognise is left as it was.
    func html(_ html: String, sourceID: String) -> String {
        guard html.range(of: "<img", options: .caseInsensitive) != nil
                || html.range(of: "<source", options: .caseInsensitive) != nil else { return html }
        var output = ""
        output.reserveCapacity(html.utf8.count + 256)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else { output += rest[open...]; return output }
            let tag = rest[open...close]
            output += rewriteTag(tag, sourceID: sourceID)
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }

    private func rewriteTag(_ tag: Substring, sourceID: String) -> String {
        let lower = tag.lowercased()
        guard lower.hasPrefix("<img ") || lower.hasPrefix("<source ") else { return String(tag) }
        var result = ""
        var rest = tag
        // Each ` name="value"`: src and srcset are rewritten, the rest copied.
        while let quote = rest.firstIndex(of: "\"") {
            let before = rest[..<quote]
            let afterQuote = rest.index(after: quote)
            guard let end = rest[afterQuote...].firstIndex(of: "\"") else { break }
            let value = rest[afterQuote..<end]
            let name = before.reversed().drop { $0 == "=" || $0 == " " }.prefix { $0.isLetter || $0 == "-" }
            let attribute = String(name.reversed()).lowercased()
            result += before
            result += "\""
            switch attribute {
            case "src": result += escaped(proxiedReference(unescaped(value), sourceID: sourceID))
            case "srcset": result += escaped(srcset(unescaped(value), sourceID: sourceID))
            default: result += value
            }
            result += "\""
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func proxiedReference(_ reference: String, sourceID: String) -> String {
        guard let url = URL(string: reference), let proxied = proxied(url, sourceID: sourceID) else { return reference }
        return proxied.absoluteString
    }

    private func srcset(_ value: String, sourceID: String) -> String {
        value.split(separator: ",").map { candidate -> String in
            let pieces = candidate.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = pieces.first else { return String(candidate) }
            return ([proxiedReference(String(first), sourceID: sourceID)] + pieces.dropFirst().map(String.init)).joined(separator: " ")
        }.joined(separator: ", ")
    }

    private func unescaped(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
