import Foundation

/// The rules of one robots.txt for one crawler, read as RFC 9309 says: the group whose
/// user-agent matches our product token (else the `*` group), longest match between Allow
/// and Disallow, `*` and `$` in paths.
public struct RobotsRules: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var allows: Bool
        /// The path pattern, percent-encoding normalised (§2.2.2), `*` and `$` kept as written.
        var pattern: [UInt8]
    }

    var rules: [Rule]

    /// Everything allowed: no robots.txt (4xx, §2.3.1.3) or no group for us.
    public static let allowAll = RobotsRules(rules: [])
    /// Nothing allowed but /robots.txt itself.
    public static let disallowAll = RobotsRules(rules: [Rule(allows: false, pattern: Array("/".utf8))])

    init(rules: [Rule]) {
        self.rules = rules
    }

    /// The rules as plain values, in order (to carry them between processes), and back.
    public var entries: [(allows: Bool, pattern: [UInt8])] { rules.map { ($0.allows, $0.pattern) } }

    public init(entries: [(allows: Bool, pattern: [UInt8])]) {
        self.init(rules: entries.map { Rule(allows: $0.allows, pattern: $0.pattern) })
    }

    /// True when no rule applies to us: every path is allowed.
    public var allowsEverything: Bool { rules.isEmpty }

    /// Parses a robots.txt body and keeps the group(s) for `productToken` (§2.2.1).
    public init(parsing text: String, productToken: String) {
        let token = productToken.lowercased()
        var groups: [(agents: [String], rules: [Rule])] = []
        var agents: [String] = []
        var rules: [Rule] = []
        var sawRuleInGroup = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            // §2.2: "#" starts a comment to the end of the line.
            let line = rawLine.prefix { $0 != "#" }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                .trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}"))
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                // §2.1: a user-agent line after rules starts a new group.
                if sawRuleInGroup {
                    groups.append((agents, rules))
                    agents = []
                    rules = []
                    sawRuleInGroup = false
                }
                let name = value.prefix { $0 != "/" && $0 != " " && $0 != "\t" }.lowercased()
                agents.append(String(name))
            case "allow", "disallow":
                sawRuleInGroup = true
                // §2.2.2: an empty path matches nothing, so the line changes nothing.
                guard !agents.isEmpty, !value.isEmpty else { continue }
                rules.append(Rule(allows: key == "allow", pattern: RobotsRules.normalize(value)))
            default:
                continue  // sitemap, crawl-delay and unknown records are not rules (§2.2.4)
            }
        }
        if !agents.isEmpty { groups.append((agents, rules)) }

        // §2.2.1: the groups naming our token, combined; else the `*` groups; else no rules.
        let ours = groups.filter { $0.agents.contains(token) }
        let chosen = ours.isEmpty ? groups.filter { $0.agents.contains("*") } : ours
        self.rules = chosen.flatMap(\.rules)
    }

    /// Whether `pathAndQuery` (e.g. "/news/a.html?id=3") may be fetched: the longest matching
    /// pattern wins, Allow on a tie, and no match means allowed (§2.2.2).
    public func allows(_ pathAndQuery: String) -> Bool {
        let path = RobotsRules.normalize(pathAndQuery.isEmpty ? "/" : pathAndQuery)
        if path == Array("/robots.txt".utf8) { return true }  // §2.2.2: always allowed
        var best: Rule?
        for rule in rules where RobotsRules.matches(rule.pattern, path) {
            guard let current = best else { best = rule; continue }
            if rule.pattern.count > current.pattern.count || (rule.pattern.count == current.pattern.count && rule.allows) {
                best = rule
            }
        }
        return best?.allows ?? true
    }

    /// The path and query of a URL as robots rules see them (§2.2.2), still percent-encoded.
    public static func target(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? url.path
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        return target
    }

    /// Percent-encoding normalised for comparison (§2.2.2): bytes outside ASCII are
    /// encoded, encoded unreserved characters are decoded, escapes are upper-cased.
    static func normalize(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) { out.append(decoded) } else { appendEscape(decoded, to: &out) }
                i += 3
            } else if byte >= 0x80 {
                appendEscape(byte, to: &out)
                i += 1
            } else {
                out.append(byte)
                i += 1
            }
        }
        return out
    }

    /// `*` matches any run of bytes, a final `$` anchors the end, and otherwise the pattern
    /// needs only to match a prefix of the path (§2.2.3).
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var pattern = pattern
        var anchored = false
        if pattern.last == UInt8(ascii: "$") {
            anchored = true
            pattern.removeLast()
        }
        var p = 0
        var s = 0
        var lastStar = -1
        var resumeAt = 0
        while s < path.count {
            if p < pattern.count, pattern[p] == star {
                lastStar = p
                resumeAt = s
                p += 1
            } else if p == pattern.count, !anchored {
                return true
            } else if p < pattern.count, pattern[p] == path[s] {
                p += 1
                s += 1
            } else if lastStar >= 0 {
                p = lastStar + 1
                resumeAt += 1
                s = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out.append(UInt8(ascii: "%"))
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
}
