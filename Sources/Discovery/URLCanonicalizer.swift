import Foundation
import Extraction
import TidingsCore

/// Canonical article URLs: one spelling per article, so one entry per article.
///
/// `canonical(_:)` lower-cases scheme and host, drops default ports, fragments and tracking
/// parameters, removes `.`/`..` segments and sorts what is left of the query. The Store keys
/// articles by it and `EntryIdentity.tagURI` mints ids from it (the first one seen, stored).
public enum URLCanonicalizer {
    /// Query parameters that only say where a click came from. Exact names…
    public static let trackingParameters: Set<String> = [
        "spm", "spm_id_from", "from", "share", "share_token", "shareid", "share_from", "sharer_shareid",
        "sharer_sharetime", "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_hsenc", "_hsmsc", "ref", "ref_src", "ref_url", "referrer", "cmpid", "ncid", "ocid", "icid",
        "sr_share", "scene", "clicktime", "enterid", "wfr", "tt_from", "isappinstalled", "from_source",
        "_ga", "_gl", "s_cid", "cmp", "xtor", "mkt_tok", "bd_vid", "oref", "nr_email_referer",
        "__twitter_impression", "smid", "smtyp", "ito", "rss", "feed", "via",
    ]
    /// …and prefixes (`utm_source`, `pk_campaign`, `WT.mc_id`, `at_medium`).
    public static let trackingPrefixes = ["utm_", "pk_", "wt.", "at_", "hmsr", "mtm_", "vero_", "oly_"]

    /// The canonical spelling of `url` (see the type's documentation).
    public static func canonical(_ url: URL) -> URL {
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url }
        c.scheme = c.scheme?.lowercased()
        if let host = c.host {
            var h = host.lowercased()
            if h.hasSuffix(".") { h.removeLast() }
            c.host = h
        }
        if (c.scheme == "http" && c.port == 80) || (c.scheme == "https" && c.port == 443) { c.port = nil }
        c.fragment = nil
        c.percentEncodedPath = normalizedPath(c.percentEncodedPath, isFile: c.scheme == "file")
        if let items = c.percentEncodedQueryItems {
            let kept = items.filter { !isTracking($0.name) }
                .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            c.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        } else if c.percentEncodedQuery?.isEmpty == true {
            c.percentEncodedQuery = nil
        }
        return c.url ?? url
    }

    /// A looser key for "is this the same article?": the canonical URL without scheme, a
    /// leading `www.` or a trailing slash. Two URLs with one key are one entry.
    public static func identityKey(_ url: URL) -> String {
        let c = canonical(url)
        var host = c.host ?? ""
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = c.path.isEmpty ? "/" : c.path
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let query = c.query.map { "?" + $0 } ?? ""
        return host + path + query
    }

    /// True for utm_*, spm, from, share and the other click-tracking parameters.
    public static func isTracking(_ name: String) -> Bool {
        let n = name.lowercased()
        return trackingParameters.contains(n) || trackingPrefixes.contains { n.hasPrefix($0) }
    }

    /// The article's canonical URL: the page's own `<link rel="canonical">` or `og:url` when it
    /// is on the same site and not the site's home page (CMS templates that point every
    /// article's canonical at `/` exist), else the fetched URL; canonicalized either way.
    public static func preferredURL(for document: HTMLDocument, fetchedURL: URL) -> URL {
        let declared = document.select(xpath: "//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
            + document.select(xpath: "//meta[@property='og:url' or @name='og:url']/@content")
        for node in declared {
            guard let url = document.absoluteURL(node.text), let scheme = url.scheme?.lowercased(),
                  ["http", "https"].contains(scheme), SiteIdentity.isSameSite(url, fetchedURL) else { continue }
            let path = url.path
            if (path.isEmpty || path == "/") && url.query == nil && !(fetchedURL.path.isEmpty || fetchedURL.path == "/") { continue }
            return canonical(url)
        }
        return canonical(fetchedURL)
    }

    /// Removes `.` and `..` segments and empty segments (`//`); upper-cases percent escapes.
    static func normalizedPath(_ path: String, isFile: Bool) -> String {
        if path.isEmpty { return isFile ? path : "/" }
        var out: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for part in parts {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        var result = "/" + out.map { upperCasingEscapes(String($0)) }.joined(separator: "/")
        if path.hasSuffix("/") && !out.isEmpty { result += "/" }
        return result
    }

    static func upperCasingEscapes(_ segment: String) -> String {
        guard segment.contains("%") else { return segment }
        var result = ""
        var chars = segment[...]
        while let c = chars.first {
            if c == "%" && chars.count >= 3 && chars.dropFirst().prefix(2).allSatisfy(\.isHexDigit) {
                result += "%" + chars.dropFirst().prefix(2).uppercased()
                chars = chars.dropFirst(3)
            } else {
                result.append(c)
                chars = chars.dropFirst()
            }
        }
        return result
    }
}
