import Foundation

/// Everything the engine thread needs to run one transfer; built by the Fetcher.
struct TransferJob: Sendable {
    var url: URL
    var etag: String?
    var lastModified: String?
    var headers: [String: String] = [:]
    var cookies: String?
    var referer: String?
    var allowFileScheme = false
    var maxBodyBytes: Int
    /// Keep the first `maxBodyBytes` and succeed instead of failing (robots.txt: RFC 9309 §2.5
    /// asks crawlers to parse at least 500 KiB, not to give up past it).
    var truncatesAtCap = false
    /// Minimum start-to-start pause to the same host.
    var hostGap: TimeInterval

    /// The politeness key: scheme, host and port.
    var hostKey: String { TransferJob.origin(of: url) }

    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host?.lowercased() ?? ""
        if let port = url.port { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }
}

/// The raw answer of one transfer, before decoding: what the engine thread hands back.
struct RawResponse: Sendable {
    var requestedURL: URL
    var finalURL: URL
    var status: Int
    /// Headers of the final response (after redirects): names lower-cased, values trimmed.
    var headers: [(name: String, value: String)]
    var body: Data
    /// True when the body was cut at the cap on purpose (`truncatesAtCap`).
    var truncated: Bool
    /// Seconds from start to last byte, as curl measured them.
    var transferTime: TimeInterval

    /// The last value of a header, or nil.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }

    /// Splits "Name: value" lines; lines without a colon are skipped.
    static func parseHeaders(_ lines: [String]) -> [(name: String, value: String)] {
        lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            return (name, String(value))
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and line ends (no Foundation bridging).
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
