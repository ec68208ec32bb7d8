import Foundation

/// "Same site" = same registrable domain (news.example.com.cn and www.example.com.cn).
public enum SiteIdentity {
    /// Second-level labels under which registrations happen (`example.com.cn`, `bbc.co.uk`).
    /// A short list of the suffixes seen on news sites, not the full Public Suffix List.
    static let secondLevelSuffixes: Set<String> = [
        "com", "net", "org", "gov", "edu", "ac", "co", "or", "ne", "go", "mil", "info", "biz",
        "nic", "ltd", "plc", "sch", "nom", "idv", "gen", "web", "int", "firm",
    ]

    /// The registrable domain of a host, e.g. `news.sina.com.cn` → `sina.com.cn`.
    public static func registrableDomain(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".").map(String.init)
        guard labels.count > 2 else { return labels.joined(separator: ".") }
        if labels.allSatisfy({ Int($0) != nil }) { return labels.joined(separator: ".") }   // IPv4
        let tld = labels[labels.count - 1], second = labels[labels.count - 2]
        let take = (tld.count == 2 && secondLevelSuffixes.contains(second)) ? 3 : 2
        return labels.suffix(take).joined(separator: ".")
    }

    /// True when both URLs belong to one site; `file:` URLs are one site with each other.
    public static func isSameSite(_ a: URL, _ b: URL) -> Bool {
        if a.isFileURL || b.isFileURL { return a.isFileURL && b.isFileURL }
        guard let ha = a.host, let hb = b.host else { return false }
        return registrableDomain(ha) == registrableDomain(hb)
    }
}
