import Foundation

/// Where a site lists its sitemaps: `Sitemap:` lines of robots.txt (sitemaps.org protocol;
/// the field may appear anywhere in the file, case-insensitive, with an absolute URL).
public enum SitemapLocator {
    /// The sitemap URLs named in a robots.txt, in file order, without duplicates.
    public static func sitemaps(inRobotsTxt text: String, robotsURL: URL) -> [URL] {
        var seen = Set<String>()
        var result: [URL] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "sitemap" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let url = URL(string: value, relativeTo: robotsURL)?.absoluteURL,
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { continue }
            if seen.insert(url.absoluteString).inserted { result.append(url) }
        }
        return result
    }

    /// `https://host/robots.txt` for any page of the site.
    public static func robotsURL(for page: URL) -> URL? {
        guard var c = URLComponents(url: page, resolvingAgainstBaseURL: true), c.host != nil else { return nil }
        c.path = "/robots.txt"
        c.query = nil
        c.fragment = nil
        return c.url
    }
}
