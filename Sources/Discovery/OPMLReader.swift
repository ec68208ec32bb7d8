import Foundation

/// One subscription of an OPML file (what feed readers export): a feed URL, the site's page,
/// or both, and its title.
public struct OPMLOutline: Sendable, Hashable {
    public var title: String?
    /// `xmlUrl`: the site's own feed.
    public var feedURL: URL?
    /// `htmlUrl`: the site's page.
    public var pageURL: URL?

    /// What a source made from it reads: the feed when there is one (its links are the
    /// site's own choice of articles), else the page.
    public var sourceURL: URL? { feedURL ?? pageURL }
}

/// Reads the subscriptions of an OPML 1.0/2.0 file (untrusted XML: parsed by `XMLTree`,
/// without entities, DTDs or network). Folders (outlines inside outlines) are walked; an
/// outline without an http(s) `xmlUrl` or `htmlUrl` is skipped.
public enum OPMLReader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func outlines(in text: String, fileURL: URL) -> Result<[OPMLOutline], Failure> {
        guard let tree = XMLTree(text: text, url: fileURL), let root = tree.root else {
            return .failure(Failure(description: "not XML"))
        }
        guard root.localName == "opml" else {
            return .failure(Failure(description: "not OPML (the root element is <\(root.localName)>, not <opml>)"))
        }
        guard let body = root.child("body") else { return .failure(Failure(description: "OPML without a <body>")) }
        var found: [OPMLOutline] = []
        var seen = Set<String>()
        // Depth-first in document order, without recursion (a hostile file may nest deeply).
        var stack: [XMLTreeElement] = body.children(named: "outline").reversed()
        while let outline = stack.popLast() {
            let entry = OPMLOutline(title: (outline.attribute("title") ?? outline.attribute("text")).flatMap(clean),
                                    feedURL: webURL(outline.attribute("xmlUrl")),
                                    pageURL: webURL(outline.attribute("htmlUrl")))
            if let url = entry.sourceURL, seen.insert(url.absoluteString).inserted { found.append(entry) }
            stack += outline.children(named: "outline").reversed()
        }
        return .success(found)
    }

    static func webURL(_ text: String?) -> URL? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else { return nil }
        return url
    }

    static func clean(_ text: String) -> String? {
        let line = text.split(whereSeparator: { $0.isNewline }).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? nil : line
    }
}
