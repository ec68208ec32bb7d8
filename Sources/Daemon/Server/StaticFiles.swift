import Fetching
import Foundation
import NIOPosix
import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// Serves the output folder: feed files with content-hash ETags (the same bytes give the same
/// tag on every machine; the gzip copy has a tag of its own), Last-Modified, 304 answers,
/// gzip, single byte ranges, the right media types and a Cache-Control max-age. Every file
/// read, hash and compression runs on NIO's thread pool, never on Swift's cooperative pool
/// that also answers /healthz. Independent of the HTTP library.
final class StaticFiles: Sendable {
    struct Request: Sendable {
        var path: String
        var isHead = false
        var ifNoneMatch: String?
        var ifModifiedSince: String?
        var acceptEncoding: String?
        var range: String?
        var ifRange: String?
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data
    }

    let folder: OutputFolder
    /// max-age for a file named after a source, from that source's interval.
    let maxAgeForSource: @Sendable (String) -> Int?
    /// Each file version's content hash, so that a conditional request costs a stat, not a read.
    private let hashes = Locked([String: (version: OutputFolder.Version, hash: String)]())
    /// Compressed copies, keyed by path and content hash.
    private let compressed = Locked([String: (hash: String, body: Data)]())
    /// Called on the thread that reads a file (tests check it is not the cooperative pool).
    let onRead: (@Sendable () -> Void)?
    /// The feed files of a store shared with other nodes: served before the output folder's.
    let shared: SharedFeeds?

    /// Files smaller than this go out uncompressed: the gzip header and the CPU cost more
    /// than they save (one TCP segment either way). Decided from the size alone, so every
    /// server holding the same bytes picks the same representation and ETag.
    static let smallestCompressedSize = 1024
    /// Compressed copies kept in memory; enough for every feed of a few hundred sources in
    /// one format, cleared when full.
    static let compressedCacheCapacity = 256
    /// Content hashes remembered (a few dozen bytes each), cleared when full.
    static let hashCacheCapacity = 8192
    /// Files above this are not read into memory to be served (the output folder holds feeds
    /// of a few megabytes at most).
    static let largestServedSize = 256 << 20
    /// max-age for files not tied to one source (index.html, OPML, assets).
    static let defaultMaxAge = 60

    init(root: URL, shared: SharedFeeds? = nil, onRead: (@Sendable () -> Void)? = nil,
         maxAgeForSource: @escaping @Sendable (String) -> Int?) {
        self.folder = OutputFolder(root: root)
        self.shared = shared
        self.onRead = onRead
        self.maxAgeForSource = maxAgeForSource
    }

    var root: URL { folder.root }

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

    /// Answers GET or HEAD, on NIO's thread pool: from the shared store's copy of the file when
    /// there is one (every node sends the same bytes), else from the output folder.
    func reply(_ request: Request) async -> Reply {
        do {
            if let shared, let document = await shared.document(forPath: request.path) {
                return try await NIOThreadPool.singleton.runIfActive { self.reply(request, document) }
            }
            return try await NIOThreadPool.singleton.runIfActive { self.replyNow(request) }
        } catch {
            return Self.busy
        }
    }

    /// The blocking part of `reply` for a file of the shared store.
    func reply(_ request: Request, _ document: SharedFeeds.Document) -> Reply {
        let key = "shared:\(document.name)"
        let hash: String
        if let known = hashes.withLock({ $0[key] }), known.version == Self.version(of: document) {
            hash = known.hash
        } else {
            hash = Self.hexHash(document.body)
            hashes.withLock { cache in
                if cache.count >= Self.hashCacheCapacity { cache.removeAll() }
                cache[key] = (Self.version(of: document), hash)
            }
        }
        return answer(request, name: document.name, key: key, hash: hash, modified: document.modified,
                      size: document.body.count, body: document.body, read: { document.body })
    }

    /// A shared document's version in the shape of a file's (its version counter as the inode).
    static func version(of document: SharedFeeds.Document) -> OutputFolder.Version {
        OutputFolder.Version(device: 0, inode: UInt64(bitPattern: document.version), size: document.body.count,
                             modifiedSeconds: Int(document.modified.timeIntervalSince1970), modifiedNanoseconds: 0, changedNanoseconds: 0)
    }

    /// The blocking part of `reply`.
    func replyNow(_ request: Request) -> Reply {
        let file: OutputFolder.OpenFile
        switch folder.open(urlPath: request.path) {
        case .success(let opened): file = opened
        case .failure(let failure): return Self.reply(for: failure)
        }
        defer { close(file.descriptor) }
        onRead?()
        guard file.version.size <= Self.largestServedSize else {
            return Self.plain(500, "file too large to serve (\(file.version.size) bytes)\n")
        }
        var body: Data?
        let hash: String
        if let known = hashes.withLock({ $0[file.path] }), known.version == file.version {
            hash = known.hash
        } else {
            guard let data = OutputFolder.read(file) else { return Self.plain(500, "the file could not be read\n") }
            body = data
            hash = Self.hexHash(data)
            hashes.withLock { cache in
                if cache.count >= Self.hashCacheCapacity { cache.removeAll() }
                cache[file.path] = (file.version, hash)
            }
        }
        return answer(request, name: file.path, key: file.path, hash: hash, modified: file.modified, size: file.version.size,
                      body: body, read: { OutputFolder.read(file) })
    }

    /// The answer for a file of `size` bytes whose content hash is `hash`; `body` when already
    /// read, else `read` reads it (a 304 or a cached gzip copy needs no read). `key` names
    /// the file in the caches.
    private func answer(_ request: Request, name: String, key: String, hash: String, modified: Date, size: Int,
                        body known: Data?, read: () -> Data?) -> Reply {
        var body = known
        let ext = (name as NSString).pathExtension.lowercased()
        let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
        let byteRange = request.range.flatMap(ByteRange.init(header:))
        let gzipped = byteRange == nil && size >= Self.smallestCompressedSize
            && Self.isText(ext) && Self.acceptsGzip(request.acceptEncoding)
        let identityTag = "\"\(hash)\""
        let etag = gzipped ? "\"\(hash)-gzip\"" : identityTag
        var headers: [(String, String)] = [
            ("ETag", etag),
            ("Last-Modified", HTTPDate.format(modified)),
            ("Cache-Control", "public, max-age=\(maxAgeForSource(stem) ?? Self.defaultMaxAge)"),
            ("Vary", "Accept-Encoding"),
            ("Accept-Ranges", "bytes"),
        ]
        if ext == "html" || ext == "htm" { headers.append(SecurityHeaders.htmlPolicy) }
        // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since when both are present.
        if let ifNoneMatch = request.ifNoneMatch {
            if Self.matches(ifNoneMatch, etag: etag) { return Reply(status: 304, headers: headers, body: Data()) }
        } else if let since = request.ifModifiedSince.flatMap(HTTPDate.parse), modified <= since {
            return Reply(status: 304, headers: headers, body: Data())
        }
        headers.append(("Content-Type", Self.mediaTypes[ext] ?? "application/octet-stream"))
        if body == nil && !(gzipped && cachedGzip(key, hash: hash) != nil) {
            guard let data = read() else { return Self.plain(500, "the file could not be read\n") }
            body = data
        }
        var status = 200
        var sent: Data
        if gzipped {
            sent = cachedGzip(key, hash: hash) ?? compress(body ?? Data(), path: key, hash: hash)
            headers.append(("Content-Encoding", "gzip"))
        } else {
            sent = body ?? Data()
            if let byteRange, Self.rangeApplies(ifRange: request.ifRange, etag: identityTag, lastModified: modified) {
                guard let bounds = byteRange.bounds(length: sent.count) else {
                    headers.append(("Content-Range", "bytes */\(sent.count)"))
                    return Reply(status: 416, headers: headers, body: Data())
                }
                headers.append(("Content-Range", "bytes \(bounds.lowerBound)-\(bounds.upperBound)/\(sent.count)"))
                sent = sent.subdata(in: bounds.lowerBound..<(bounds.upperBound + 1))
                status = 206
            }
        }
        if request.isHead {
            headers.append(("Content-Length", String(sent.count)))
            return Reply(status: status, headers: headers, body: Data())
        }
        return Reply(status: status, headers: headers, body: sent)
    }

    /// 16 hex digits of the body's 64-bit hash: computed from the bytes only.
    static func hexHash(_ data: Data) -> String {
        String(BodyHash.of(data).dropFirst(BodyHash.prefix.count))
    }

    /// If-Range (RFC 9110 §13.1.5): the range is sent only while the client's copy is current.
    static func rangeApplies(ifRange: String?, etag: String, lastModified: Date) -> Bool {
        guard let ifRange = ifRange?.trimmingCharacters(in: .whitespaces) else { return true }
        if ifRange.hasPrefix("\"") { return ifRange == etag }
        return HTTPDate.parse(ifRange).map { $0 == Date(timeIntervalSince1970: lastModified.timeIntervalSince1970.rounded(.down)) } ?? false
    }

    private func cachedGzip(_ path: String, hash: String) -> Data? {
        guard let cached = compressed.withLock({ $0[path] }), cached.hash == hash else { return nil }
        return cached.body
    }

    private func compress(_ data: Data, path: String, hash: String) -> Data {
        let gz = Gzip.compress(data) ?? data
        compressed.withLock { cache in
            if cache.count >= Self.compressedCacheCapacity { cache.removeAll() }
            cache[path] = (hash, gz)
        }
        return gz
    }

    static func reply(for failure: OutputFolder.Failure) -> Reply {
        switch failure {
        case .notFound: return notFound
        case .busy: return busy
        case .forbidden: return plain(403, "not readable\n")
        case .failed(let cause): return plain(500, "the file could not be opened: \(cause)\n")
        }
    }

    static func plain(_ status: Int, _ text: String, extra: [(String, String)] = []) -> Reply {
        Reply(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")] + extra,
              body: Data(text.utf8))
    }

    static let notFound = plain(404, "not found\n")
    /// Out of descriptors or memory for a moment (a flood): a file that exists is never 404.
    static let busy = plain(503, "the server is busy; try again in a moment\n", extra: [("Retry-After", "1")])

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
