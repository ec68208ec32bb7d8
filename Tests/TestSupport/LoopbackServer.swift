import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request as the loopback server received it.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// Path plus query, as sent (e.g. `/news/a.html?x=1`).
    public var target: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// What the loopback server sends back.
public struct LoopbackResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data
    /// Bytes sent verbatim instead of a well-formed response (garbage status lines and the like).
    public var raw: Data?
    /// Wait this long before answering (slow servers). Real time: use sparingly.
    public var delay: TimeInterval
    /// Send the body in pieces with this pause between them (slow transfers).
    public var trickle: (chunk: Int, pause: TimeInterval)?

    public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(),
                raw: Data? = nil, delay: TimeInterval = 0, trickle: (chunk: Int, pause: TimeInterval)? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw
        self.delay = delay
        self.trickle = trickle
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/html; charset=utf-8") -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
    }

    public static let notFound = LoopbackResponse.text("not found", status: 404, contentType: "text/plain")
}

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests: one thread per
/// connection, one response per connection (`Connection: close`). It counts requests per
/// path and the most connections it ever held at once.
public final class LoopbackServer: @unchecked Sendable {
    // @unchecked Sendable: all mutable state is guarded by `lock`.
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var handler: Handler
    private var counts: [String: Int] = [:]
    private var log: [LoopbackRequest] = []
    private var open = 0
    private var peak = 0
    private var inProgress = 0
    private var peakInProgress = 0
    private var stopped = false
    private var accepted = 0
    /// Answer several requests per connection (`Connection: keep-alive`) instead of one.
    private let keepsConnectionsOpen: Bool

    public init(keepAlive: Bool = false, handler: @escaping Handler) throws {
        self.handler = handler
        self.keepsConnectionsOpen = keepAlive
        // Close-on-exec everywhere: a subprocess another test starts must not inherit (and
        // so keep open) this server's sockets.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackSocket.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        // The accept thread holds the server weakly and never touches it once accept fails:
        // deinit closes the listener, and the thread may wake after the server is gone.
        let thread = Thread { [weak self, fd] in Self.acceptLoop(listener: fd, server: { self }) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Serves the files under `directory` by path; `overrides` answer chosen paths instead.
    public convenience init(directory: URL, overrides: [String: LoopbackResponse] = [:]) throws {
        try self.init(handler: LoopbackServer.fileHandler(directory: directory, overrides: overrides))
    }

    deinit { stop() }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Replaces the request handler (e.g. to publish a new article between two refreshes).
    public func setHandler(_ newHandler: @escaping Handler) {
        lock.withLock { handler = newHandler }
    }

    /// How many requests asked for `path` (query ignored).
    public func requestCount(_ path: String) -> Int { lock.withLock { counts[path, default: 0] } }

    public var totalRequests: Int { lock.withLock { counts.values.reduce(0, +) } }

    public var requests: [LoopbackRequest] { lock.withLock { log } }

    /// How many connections the server accepted in all (keep-alive reuse shows as fewer
    /// connections than requests).
    public var acceptedConnections: Int { lock.withLock { accepted } }

    /// The most connections that were open at the same time.
    public var peakConnections: Int { lock.withLock { peak } }

    /// The most requests being answered at the same time, counted from the moment a request
    /// is read until its response starts: unlike `peakConnections`, a client cannot see a
    /// response (and open its next connection) before this count drops, so it never counts
    /// back-to-back requests as simultaneous.
    public var peakSimultaneousRequests: Int { lock.withLock { peakInProgress } }

    public func resetCounts() {
        lock.withLock { counts = [:]; log = []; peak = open; peakInProgress = inProgress }
    }

    public func stop() {
        let wasStopped = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        // Only shut the listener down: that wakes the accept thread, which closes it. Closing
        // it here would free its descriptor number while the accept thread may still be about
        // to call accept on it, and a socket another test opens next can get that number: the
        // old thread then takes that test's connection and drops it unanswered.
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    public static func fileHandler(directory: URL, overrides: [String: LoopbackResponse]) -> Handler {
        return { request in
            if let response = overrides[request.path] { return response }
            var path = request.path.removingPercentEncoding ?? request.path
            if path.hasSuffix("/") { path += "index.html" }
            guard !path.contains("..") else { return .notFound }
            let file = directory.appendingPathComponent(String(path.dropFirst()))
            guard let data = try? Data(contentsOf: file) else { return .notFound }
            return LoopbackResponse(status: 200, headers: [("Content-Type", contentType(for: file.pathExtension))], body: data)
        }
    }

    /// A site whose listing moved on: `/index.html` (and `/`) answer with `extra`'s
    /// `index-2.html`, other paths come from `extra` first, then `site`. `delays` hold back
    /// chosen pages (e.g. to catch a refresh in the middle).
    public static func secondListingHandler(site: URL, extra: URL, delays: [String: TimeInterval] = [:]) -> Handler {
        let base = fileHandler(directory: site, overrides: [:])
        let added = fileHandler(directory: extra, overrides: [:])
        return { request in
            if request.path == "/index.html" || request.path == "/" {
                var indexRequest = request
                indexRequest.target = "/index-2.html"
                return added(indexRequest)
            }
            var fromExtra = added(request)
            if let delay = delays[request.path] { fromExtra.delay = delay }
            return fromExtra.status == 200 ? fromExtra : base(request)
        }
    }

    static func contentType(for ext: String) -> String {
        switch ext.lowercased() {
        case "html", "htm", "shtml": return "text/html"
        case "xml", "rss": return "application/xml"
        case "atom": return "application/atom+xml"
        case "json": return "application/json"
        case "txt": return "text/plain"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }

    private static func acceptLoop(listener: Int32, server: () -> LoopbackServer?) {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            guard let server = server(), !server.lock.withLock({ server.stopped }) else { close(client); return }
            server.startServing(client)
        }
    }

    private func startServing(_ client: Int32) {
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        lock.withLock {
            open += 1
            accepted += 1
            peak = max(peak, open)
        }
        let thread = Thread { [self] in
            self.serve(client)
            self.lock.withLock { self.open -= 1 }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        while let request = readRequest(fd) {
            guard answer(request, on: fd), keepsConnectionsOpen, !lock.withLock({ stopped }) else { return }
        }
    }

    /// Sends one response; false when the connection must close.
    private func answer(_ request: LoopbackRequest, on fd: Int32) -> Bool {
        let current = lock.withLock { () -> Handler in
            counts[request.path, default: 0] += 1
            log.append(request)
            inProgress += 1
            peakInProgress = max(peakInProgress, inProgress)
            return handler
        }
        let response = current(request)
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        lock.withLock { inProgress -= 1 }
        if let raw = response.raw {
            writeAll(fd, raw)
            return false
        }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var names = Set<String>()
        for (name, value) in response.headers {
            head += "\(name): \(value)\r\n"
            names.insert(name.lowercased())
        }
        if !names.contains("content-length") { head += "Content-Length: \(response.body.count)\r\n" }
        head += keepsConnectionsOpen ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        guard writeAll(fd, Data(head.utf8)) else { return false }
        if request.method == "HEAD" { return true }
        if let trickle = response.trickle {
            var offset = 0
            while offset < response.body.count {
                let end = min(offset + trickle.chunk, response.body.count)
                guard writeAll(fd, response.body.subdata(in: offset..<end)) else { return false }
                offset = end
                Thread.sleep(forTimeInterval: trickle.pause)
            }
            return true
        }
        return writeAll(fd, response.body)
    }

    /// recv that retries when a signal interrupts it: the suite starts child processes, and a
    /// SIGCHLD landing mid-read must not close a kept-alive connection.
    private static func receive(_ fd: Int32, _ chunk: inout [UInt8]) -> Int {
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    private func readRequest(_ fd: Int32) -> LoopbackRequest? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 16384)
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let n = Self.receive(fd, &chunk)
            if n <= 0 { return nil }
            buffer.append(chunk, count: n)
            headerEnd = buffer.range(of: separator)
            if buffer.count > 1 << 20 { return nil }
        }
        guard let end = headerEnd,
              let head = String(data: buffer.subdata(in: buffer.startIndex..<end.lowerBound), encoding: .isoLatin1) else { return nil }
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = buffer.subdata(in: end.upperBound..<buffer.endIndex)
        let wanted = Int(headers["content-length"] ?? "") ?? 0
        while body.count < wanted {
            let n = Self.receive(fd, &chunk)
            if n <= 0 { break }
            body.append(chunk, count: n)
        }
        return LoopbackRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    @discardableResult
    private func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
