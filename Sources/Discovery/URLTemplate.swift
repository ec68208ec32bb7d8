import Foundation

/// The shape of a URL with its variable parts blanked: `/news/2025/11/ferry-timetable-changes`
/// and `/news/2025/12/library-opens` both give `host/news/9/9/s`. Links of one article list
/// share a template (same CMS route); a menu's links each have their own (`/world`, `/sport`).
enum URLTemplate {
    /// Leaf pages named by a word (`/vb.html`, `/about.php`) share the template `w.html`.
    static let pageExtensions: Set<String> = ["html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cfm"]

    static func of(_ url: URL) -> String {
        var parts = [url.host?.lowercased() ?? ""]
        let segments = url.path.split(separator: "/")
        for (i, segment) in segments.enumerated() {
            parts.append(shape(of: segment, isLast: i == segments.count - 1))
        }
        if url.path.hasSuffix("/") && !segments.isEmpty { parts.append("") }
        if let query = url.query, !query.isEmpty {
            // `?id=123&cat=4` keeps its keys; a route in the query (`index.php?threads/slug.22530/`) its shape.
            let items = query.split(separator: "&").map { item -> String in
                if let eq = item.firstIndex(of: "=") { return String(item[..<eq]) + "=" }
                let route = item.split(separator: "/")
                return route.enumerated().map { shape(of: $1, isLast: $0 == route.count - 1) }.joined(separator: "/")
            }
            parts.append("?" + items.sorted().joined(separator: "&"))
        }
        return parts.joined(separator: "/")
    }

    /// `9` digits (ids, dates), `x` mixed letters and digits, `s` a slug of two or more words,
    /// the word itself for a plain path word; a leaf file keeps its extension.
    static func shape(of segment: Substring, isLast: Bool) -> String {
        var stem = segment
        var ext = ""
        if isLast, let dot = segment.lastIndex(of: "."), pageExtensions.contains(segment[segment.index(after: dot)...].lowercased()) {
            stem = segment[..<dot]
            ext = "." + segment[segment.index(after: dot)...].lowercased()
        }
        let scalars = stem.unicodeScalars
        let digits = scalars.filter { ("0"..."9").contains($0) }.count
        let letters = scalars.filter { $0.properties.isAlphabetic }.count
        let words = stem.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" || $0 == "," }).filter { !$0.isEmpty }
        let shape: String
        if letters == 0 && digits > 0 { shape = "9" }
        else if words.count >= 2 { shape = "s" }
        else if digits > 0 { shape = "x" }
        else if !ext.isEmpty { shape = "w" }
        else { shape = stem.lowercased() }
        return shape + ext
    }

    /// A template with its variable parts (`9`, `x`, `s`, `w`, with or without an extension)
    /// merged into `*`: `blog/go1.26` and `blog/allocation-optimizations` are one route,
    /// `blog/all` (a literal word) is another.
    static func loose(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { part -> Substring in
            let stem = part.split(separator: ".", maxSplits: 1).first ?? part
            return ["9", "x", "s", "w"].contains(stem) ? "*" : part
        }.joined(separator: "/")
    }

    /// Path parts before the last one that a route needs: `/shows/view/id/onitapps` has three,
    /// `/news/world` one (a menu of sections, not records named by a word).
    static let minimumRouteDepth = 2

    /// The template with its last path part blanked (`…/shows/view/id/*`), for a deep route
    /// without a query; nil otherwise.
    static func route(_ template: String) -> String? {
        guard !template.contains("?") else { return nil }
        var parts = template.split(separator: "/", omittingEmptySubsequences: false)
        if parts.last == "" { parts.removeLast() }
        guard parts.count - 2 >= minimumRouteDepth else { return nil }   // host + route parts + last
        parts[parts.count - 1] = "*"
        return parts.joined(separator: "/")
    }
}
