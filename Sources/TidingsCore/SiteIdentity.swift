import CPSL
import Foundation

/// "Same site" = same registrable domain, as the Public Suffix List defines it (libpsl's
/// built-in copy of the list: no file is read). `news.bbc.co.uk` and `www.bbc.co.uk` are one
/// site; `alice.github.io` and `bob.github.io` are two, because `github.io` is a suffix under
/// which anyone registers.
public enum SiteIdentity {
    /// The registrable domain of a host (`news.sina.com.cn` → `sina.com.cn`), lower-cased,
    /// internationalized names in their ASCII (punycode) form. An IP address, a single label
    /// (`localhost`) or a public suffix itself (`github.io`) is its own site.
    public static func registrableDomain(_ host: String) -> String {
        let name = normalized(host)
        guard !name.isEmpty, !isIPAddress(name), let context = builtin else { return name }
        // libpsl answers with a pointer into the string it was given: copy it while that lives.
        return name.withCString { cName in
            psl_registrable_domain(context, cName).map { String(cString: $0) } ?? name
        }
    }

    /// True when both URLs belong to one site; `file:` URLs are one site with each other.
    public static func isSameSite(_ a: URL, _ b: URL) -> Bool {
        if a.isFileURL || b.isFileURL { return a.isFileURL && b.isFileURL }
        guard let ha = a.host, let hb = b.host, !ha.isEmpty, !hb.isEmpty else { return false }
        return registrableDomain(ha) == registrableDomain(hb)
    }

    // nonisolated(unsafe): libpsl's built-in context is a static table, only ever read.
    private nonisolated(unsafe) static let builtin: OpaquePointer? = psl_builtin()

    /// Lower case, no brackets around an IPv6 address, no trailing dot, non-ASCII labels as
    /// punycode (the form `URL.host` gives), so every spelling of one host compares equal.
    static func normalized(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        while name.hasSuffix(".") { name.removeLast() }
        if name.unicodeScalars.contains(where: { !$0.isASCII }) {
            let encoded = name.removingPercentEncoding ?? name
            if let ascii = URL(string: "http://" + encoded + "/")?.host?.lowercased() { name = ascii }
        }
        return name
    }

    /// IPv4 dotted quads and anything with a colon (IPv6): never looked up in the suffix list.
    static func isIPAddress(_ name: String) -> Bool {
        if name.contains(":") { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
