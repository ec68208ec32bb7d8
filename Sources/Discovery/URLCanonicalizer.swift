import Foundation
import TidingsCore

/// Canonical article URLs: one spelling per article, so one entry per article.
///
/// `canonical(_:)` lower-cases scheme and host, drops default ports, fragments and the query
/// parameters known to be click tracking, removes `.`/`..` segments and sorts what is left of
/// the query. Any other parameter stays: `?ref=123`, `?from=`, `?feed=`, `?via=` carry article
/// ids on some sites. `ArticleIdentity` decides which URL an article is known by.
public enum URLCanonicalizer {
    /// Query parameters that only say where a click came from: ad and analytics click ids,
    /// newsletter and social share markers of named vendors (Google, Facebook, Microsoft,
    /// Mailchimp, HubSpot, Alibaba's spm, WeChat's share markers, Twitter, Instagram, Yandex,
    /// Marketo, Baidu). Generic words (`from`, `ref`, `feed`, `via`, `share`, `source`) are not
    /// listed: sites use them for ids; one that has the same value on every link of a listing
    /// is ignored by identity instead (`DiscoveredLink.ignoredParameters`).
    public static let trackingParameters: Set<String> = [
        "spm", "spm_id_from", "share_token", "shareid", "share_from", "sharer_shareid",
        "sharer_sharetime", "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmsc", "ref_src", "ref_url", "cmpid", "ncid", "ocid", "icid",
        "sr_share", "clicktime", "enterid", "wfr", "tt_from", "isappinstalled", "from_source",
        "_ga", "_gl", "s_cid", "xtor", "mkt_tok", "bd_vid", "oref", "nr_email_referer",
        "__twitter_impression", "smid", "smtyp", "ito",
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
    /// leading `www.`, a trailing slash or the `ignoring` parameters. Two URLs with one key are
    /// one entry.
    public static func identityKey(_ url: URL, ignoring ignored: Set<String> = []) -> String {
        var c = canonical(url)
        if !ignored.isEmpty, var components = URLComponents(url: c, resolvingAgainstBaseURL: false),
           let items = components.percentEncodedQueryItems {
            let kept = items.filter { !ignored.contains($0.name.lowercased()) }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
            c = components.url ?? c
        }
        var host = c.host ?? ""
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = c.path.isEmpty ? "/" : c.path
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let query = c.query.map { "?" + $0 } ?? ""
        return host + path + query
    }

    /// True for utm_*, spm, fbclid and the other click-tracking parameters.
    public static func isTracking(_ name: String) -> Bool {
        let n = name.lowercased()
        return trackingParameters.contains(n) || trackingPrefixes.contains { n.hasPrefix($0) }
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
