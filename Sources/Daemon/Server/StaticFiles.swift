import Foundation
import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// Serves the output folder: feed files with validators (ETag, Last-Modified), 304 answers,
/// gzip, the right media types and a Cache-Control max-age. Independent of the HTTP library.
final class StaticFiles: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data
    }

    let root: URL
    /// max-age for a file named after a source, from that source's interval.
    let maxAgeForSource: @Sendable (String) -> Int?
    private let compressed = Locked([String: (etag: String, body: Data)]())

    /// Files smaller than this go out uncompressed: the gzip header and the CPU cost more
    /// than they save (one TCP segment either way).
    static let smallestCompressedSize = 1024
    /// Compressed copies kept in memory, keyed by path and ETag; enough for every feed of a
    /// few hundred sources in one format, cleared when full.
    static let compressedCacheCapacity = 256
    /// max-age for files not tied to one source (index.html, OPML, assets).
    static let defaultMaxAge = 60

    init(root: URL, maxAgeForSource: @escaping @Sendable (String) -> Int?) {
        self.root = root.standardizedFileURL
        self.maxAgeForSource = maxAgeForSource
    }

    static let mediaTypes: [String: String] = [
        "atom": "application/atom+xml",
        "json": "application/feed+json",
        "rss": "application/rss+xml",
        "xml": "application/xml",
        "opml": "text/x-opml",
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/vnd.microsoft.icon",
    ]

    /// Answers GET or HEAD of `path` (the URL path, percent-decoded).
    func reply(path: String, isHead: Bool, ifNoneMatch: String?, ifModifiedSince: String?, acceptEncoding: String?) -> Reply {
        guard let file = resolve(path) else { return Self.notFound }
        var info = stat()
        guard stat(file.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return Self.notFound }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))
        let etag = "\"\(String(info.st_size, radix: 16))-\(String(info.st_mtim.tv_sec, radix: 16))\(String(info.st_mtim.tv_nsec, radix: 16))\""
        let ext = file.pathExtension.lowercased()
        let stem = file.deletingPathExtension().lastPathComponent
        let maxAge = maxAgeForSource(stem) ?? Self.defaultMaxAge
        var headers: [(String, String)] = [
            ("ETag", etag),
            ("Last-Modified", HTTPDate.format(modified)),
            ("Cache-Control", "public, max-age=\(maxAge)"),
            ("Vary", "Accept-Encoding"),
        ]
        // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since when both are present.
        if let ifNoneMatch {
            if Self.matches(ifNoneMatch, etag: etag) { return Reply(status: 304, headers: headers, body: Data()) }
        } else if let since = ifModifiedSince.flatMap(HTTPDate.parse), modified <= since {
            return Reply(status: 304, headers: headers, body: Data())
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { return Self.notFound }
        headers.append(("Content-Type", Self.mediaTypes[ext] ?? "application/octet-stream"))
        var body = data
        if data.count >= Self.smallestCompressedSize, Self.acceptsGzip(acceptEncoding), Self.isText(ext),
           let gz = gzipped(data, key: file.path, etag: etag) {
            body = gz
            headers.append(("Content-Encoding", "gzip"))
        }
        if isHead {
            headers.append(("Content-Length", String(body.count)))
            return Reply(status: 200, headers: headers, body: Data())
        }
        return Reply(status: 200, headers: headers, body: body)
    }

    static let notFound = Reply(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")],
                                body: Data("not found\n".utf8))

    /// The file for a URL path inside the root, or nil for anything that leaves it or is hidden.
    func resolve(_ path: String) -> URL? {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.contains(where: { $0 == ".." || $0.hasPrefix(".") || $0.contains("\0") }) { return nil }
        if components.isEmpty || path.hasSuffix("/") { components.append("index.html") }
        let file = components.reduce(root) { $0.appendingPathComponent($1) }.standardizedFileURL
        guard file.path.hasPrefix(root.path + "/") else { return nil }
        return file
    }

    private func gzipped(_ data: Data, key: String, etag: String) -> Data? {
        if let cached = compressed.withLock({ $0[key] }), cached.etag == etag { return cached.body }
        guard let gz = Gzip.compress(data), gz.count < data.count else { return nil }
        compressed.withLock { cache in
            if cache.count >= Self.compressedCacheCapacity { cache.removeAll() }
            cache[key] = (etag, gz)
        }
        return gz
    }

    static func matches(_ header: String, etag: String) -> Bool {
        let tags = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // Weak comparison (RFC 9110 §8.8.3.2): W/"x" matches "x".
        return tags.contains { $0 == "*" || $0 == etag || $0 == "W/" + etag }
    }

    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "x-gzip" else { return false }
            return !parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }

    static func isText(_ ext: String) -> Bool {
        !["png", "ico", "gz"].contains(ext)
    }
}
