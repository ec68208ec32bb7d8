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
    /// A form body to POST (`application/x-www-form-urlencoded`); nil for a GET.
    let formBody: String?

    init(url: URL, origin: String? = nil, etag: String? = nil, lastModified: String? = nil, headers: [String: String] = [:],
         cookies: String? = nil, referer: String? = nil, allowFileScheme: Bool = false,
         maxBodyBytes: Int, truncatesAtCap: Bool = false, hostGap: TimeInterval,
         accept: String = TransferJob.accept, formBody: String? = nil) {
        self.url = url
        self.urlString = url.absoluteString
        self.isFile = allowFileScheme && url.isFileURL
        self.isHTTPS = url.scheme?.lowercased() == "https"
        self.hostKey = origin ?? TransferJob.origin(of: url)
        self.referer = referer
        self.maxBodyBytes = maxBodyBytes
        self.truncatesAtCap = truncatesAtCap
        self.hostGap = hostGap
        self.formBody = formBody

        var lines: [String] = []
        var names = Set(headers.keys.map { $0.lowercased() })
        func add(_ name: String, _ value: String?) {
            guard let value, names.insert(name.lowercased()).inserted else { return }
            lines.append("\(name): \(value)")
        }
        add("Accept", accept)
        if formBody != nil { add("Content-Type", "application/x-www-form-urlencoded") }
        add("If-None-Match", etag)
        add("If-Modified-Since", lastModified)
        // Only for the source's own host: the Fetcher leaves cookies out of hops to other hosts.
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
    /// The URL as curl spells it (curl follows no redirects: the Fetcher does).
    var effectiveURL: String?
    /// The header block of the response (the last one, after any 100 Continue), status line excluded.
    var headerBytes: [UInt8]
    var body: [UInt8]
    /// True when the body was cut at the cap on purpose (`truncatesAtCap`).
    var truncated: Bool
    /// Seconds from start to last byte, as curl measured them.
    var transferTime: TimeInterval
    /// "1.1", "2"…; nil when no HTTP was spoken (file:).
    var httpVersion: String?
    /// Connections curl opened for this transfer (0 when it reused one).
    var newConnections: Int
}

/// A response as the Fetcher reads it: final URL and headers parsed.
struct Response: Sendable {
    var requestedURL: URL
    var finalURL: URL
    var status: Int
    /// Names lower-cased, values trimmed.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var truncated: Bool
    var transferTime: TimeInterval
    var httpVersion: String?
    var newConnections: Int

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
        httpVersion = raw.httpVersion
        newConnections = raw.newConnections
    }

    /// The last value of a header, or nil; `name` in lower case.
    func header(_ name: String) -> String? {
        headers.last { $0.name == name }?.value
    }

    /// Splits a header block into "Name: value" pairs; lines without a colon are skipped.
    /// Works on bytes: this runs for every response.
    static func parseHeaders(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = trimmed(line[line.startIndex..<colon]).map { (65...90).contains($0) ? $0 + 32 : $0 }
            let value = trimmed(line[(colon + 1)...])
            headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return headers
    }

    /// Without leading and trailing spaces, tabs and carriage returns.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return bytes[first...last]
    }
}
