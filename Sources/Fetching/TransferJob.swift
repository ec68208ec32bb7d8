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
    /// Header lines of the final response (after redirects), without the status line.
    var headerLines: [String]
    var body: Data
    /// True when the body was cut at the cap on purpose (`truncatesAtCap`).
    var truncated: Bool
    /// Seconds from start to last byte, as curl measured them.
    var transferTime: TimeInterval

    /// The last value of a header, or nil.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        for line in headerLines.reversed() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == wanted {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return nil
    }
}
