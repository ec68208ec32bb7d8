import Foundation

/// Everything the engine thread needs to run one transfer, prepared by the caller's task
/// so that the engine thread, which every transfer shares, only talks to curl.
struct TransferJob: Sendable {
    static let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    let url: URL
    let urlString: String
    /// `file:` allowed for this URL (never through redirects).
    let isFile: Bool
    let isHTTPS: Bool
    /// The politeness key: scheme, host and port.
    let hostKey: String
    /// Request header lines ("Name: value"), Accept and validators included.
    let headerLines: [String]
    let referer: String?
    let maxBodyBytes: Int
    /// Keep the first `maxBodyBytes` and succeed instead of failing (robots.txt: RFC 9309 §2.5
    /// asks crawlers to parse at least 500 KiB, not to give up past it).
    let truncatesAtCap: Bool
    /// Minimum start-to-start pause to the same host.
    let hostGap: TimeInterval

    init(url: URL, etag: String? = nil, lastModified: String? = nil, headers: [String: String] = [:],
         cookies: String? = nil, referer: String? = nil, allowFileScheme: Bool = false,
         maxBodyBytes: Int, truncatesAtCap: Bool = false, hostGap: TimeInterval) {
        self.url = url
        self.urlString = url.absoluteString
        self.isFile = allowFileScheme && url.isFileURL
        self.isHTTPS = url.scheme?.lowercased() == "https"
        self.hostKey = TransferJob.origin(of: url)
        self.referer = referer
        self.maxBodyBytes = maxBodyBytes
        self.truncatesAtCap = truncatesAtCap
        self.hostGap = hostGap

        var lines: [String] = []
        var names = Set(headers.keys.map { $0.lowercased() })
        func add(_ name: String, _ value: String?) {
            guard let value, names.insert(name.lowercased()).inserted else { return }
            lines.append("\(name): \(value)")
        }
        add("Accept", Self.accept)
        add("If-None-Match", etag)
        add("If-Modified-Since", lastModified)
        // Custom Cookie headers are not passed on to other hosts by curl's redirects (since 7.58).
        add("Cookie", cookies)
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        self.headerLines = lines
    }

    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host?.lowercased() ?? ""
        if let port = url.port { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }
}

/// The raw answer of one transfer, before decoding: what the engine thread hands back.
/// Parsing (headers, final URL) is left to the caller's task.
struct RawResponse: Sendable {
    var job: TransferJob
    var status: Int
    /// The URL after redirects as curl spells it.
    var effectiveURL: String?
    /// The header block of the final response (after redirects), status line excluded.
    var headerBytes: [UInt8]
    var body: Data
    /// True when the body was cut at the cap on purpose (`truncatesAtCap`).
    var truncated: Bool
    /// Seconds from start to last byte, as curl measured them.
    var transferTime: TimeInterval
}

/// A response as the Fetcher reads it: final URL and headers parsed.
struct Response: Sendable {
    var requestedURL: URL
    var finalURL: URL
    var status: Int
    /// Names lower-cased, values trimmed.
    var headers: [(name: String, value: String)]
    var body: Data
    var truncated: Bool
    var transferTime: TimeInterval

    init(_ raw: RawResponse) {
        requestedURL = raw.job.url
        if let effective = raw.effectiveURL, effective != raw.job.urlString {
            finalURL = URL(string: effective) ?? raw.job.url
        } else {
            finalURL = raw.job.url
        }
        status = raw.status
        headers = Response.parseHeaders(raw.headerBytes)
        body = raw.body
        truncated = raw.truncated
        transferTime = raw.transferTime
    }

    /// The last value of a header, or nil.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }

    /// Splits a header block into "Name: value" pairs; lines without a colon are skipped.
    static func parseHeaders(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            return (name, String(value))
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (no Foundation bridging).
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
