import Foundation

/// Mints the `tag:` URIs (RFC 4151) that identify entries for good.
public enum EntryIdentity {
    /// `tag:<host>,<yyyy-mm-dd>:<path?query>` from the canonical URL and the day it was first seen.
    /// File URLs use the authority `localhost`. An explicit port leads the specific part
    /// (`tag:example.com,2025-01-02:8080/a.html`): a tag authority cannot carry one, and two
    /// sites on one host must not share ids.
    public static func tagURI(canonicalURL: URL, firstSeen: Date) -> String {
        let day = Timestamp(date: firstSeen, offsetSeconds: 0).formatted(.day)
        let host = (canonicalURL.host ?? "localhost").lowercased()
        var specific = canonicalURL.path.isEmpty ? "/" : canonicalURL.path
        if let port = canonicalURL.port { specific = "\(port)" + specific }
        if let query = canonicalURL.query, !query.isEmpty { specific += "?" + query }
        // tag: URIs allow only URI characters; percent-encode anything else.
        let allowed = CharacterSet.urlPathAllowed.union(CharacterSet(charactersIn: "?=&"))
        specific = specific.addingPercentEncoding(withAllowedCharacters: allowed) ?? specific
        return "tag:\(host),\(day):\(specific)"
    }
}
