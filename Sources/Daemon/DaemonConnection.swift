import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a running daemon answers: a TCP address (normally loopback) or its unix socket.
public enum DaemonAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unixSocket(path: String)

    /// `http://HOST:PORT` (the daemon speaks plain HTTP) or a unix socket path.
    public init?(parsing text: String) {
        if text.hasPrefix("/") {
            self = .unixSocket(path: text)
            return
        }
        guard let url = URL(string: text), url.scheme == "http", let host = url.host, !host.isEmpty else { return nil }
        self = .tcp(host: host, port: url.port ?? 80)
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        case .unixSocket(let path): path
        }
    }
}

/// One HTTP/1.1 request to a running daemon and its whole answer, over a plain socket, so
/// the same few lines reach a daemon on TCP or on a unix socket (URLSession cannot).
enum DaemonConnection {
    /// The most a daemon's answer may hold; a refresh report of thousands of sources is far less.
    static let maximumResponseBytes = 64 << 20

    struct Response: Sendable {
        var status: Int
        var body: Data
    }

    static func send(_ method: String, _ path: String, to address: DaemonAddress, headers: [(String, String)],
                     timeout: TimeInterval) async throws(DaemonClientError) -> Response {
        let result: Result<Response, DaemonClientError> = await withCheckedContinuation { continuation in
            // A thread of its own: a blocking read on the cooperative pool would starve it.
            Thread {
                continuation.resume(returning: Result { () throws(DaemonClientError) -> Response in
                    try sendBlocking(method, path, to: address, headers: headers, timeout: timeout)
                })
            }.start()
        }
        return try result.get()
    }

    static func sendBlocking(_ method: String, _ path: String, to address: DaemonAddress, headers: [(String, String)],
                             timeout: TimeInterval) throws(DaemonClientError) -> Response {
        let where_ = address.description + path
        let fd = try connect(address)
        defer { close(fd) }
        var wait = timeval(tv_sec: Int(min(timeout, 86400)), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Array((head + "\r\n").utf8)
        var offset = 0
        while offset < request.count {
            let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw DaemonClientError(url: where_, message: "no answer from the daemon: \(String(cString: strerror(errno)))") }
            offset += n
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let cause = errno == EAGAIN ? "no answer within \(Int(timeout)) s" : String(cString: strerror(errno))
                throw DaemonClientError(url: where_, message: "no answer from the daemon: \(cause)")
            }
            if n == 0 { break }
            received += buffer[..<n]
            guard received.count <= maximumResponseBytes else {
                throw DaemonClientError(url: where_, message: "the daemon's answer is larger than \(maximumResponseBytes >> 20) MiB")
            }
        }
        guard let response = parse(received) else {
            throw DaemonClientError(url: where_, message: "the daemon's answer is not HTTP (\(received.count) bytes)")
        }
        return response
    }

    /// Status and body of a complete HTTP/1.1 answer (Content-Length, chunked or up to the
    /// close), or nil when it is malformed.
    static func parse(_ bytes: [UInt8]) -> Response? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = firstIndex(of: separator, in: bytes[...]) else { return nil }
        let head = String(decoding: bytes[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else { return nil }
        var chunked = false
        var length: Int?
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "transfer-encoding" { chunked = value.lowercased().contains("chunked") }
            if name == "content-length" { length = Int(value) }
        }
        var body = bytes[(split + separator.count)...]
        if chunked {
            guard let decoded = dechunk(body) else { return nil }
            return Response(status: status, body: Data(decoded))
        }
        if let length {
            guard length >= 0, length <= body.count else { return nil }
            body = body.prefix(length)
        }
        return Response(status: status, body: Data(body))
    }

    /// RFC 9112 §7.1 chunked coding, every size checked against what arrived.
    static func dechunk(_ data: ArraySlice<UInt8>) -> [UInt8]? {
        var out = [UInt8]()
        var rest = data
        let lineEnd: [UInt8] = [13, 10]
        while let end = firstIndex(of: lineEnd, in: rest) {
            let sizeText = String(decoding: rest[rest.startIndex..<end], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
            if size == 0 { return out }
            let start = end + 2
            // Compared without adding to `size`: a hostile size near Int.max must not overflow.
            let available = rest.endIndex - start
            guard available >= 2, size <= available - 2 else { return nil }
            out += rest[start..<(start + size)]
            rest = rest[(start + size + 2)...]
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        while i <= haystack.endIndex - needle.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func connect(_ address: DaemonAddress) throws(DaemonClientError) -> Int32 {
        switch address {
        case .unixSocket(let path):
            let bytes = Array(path.utf8)
            var socketAddress = sockaddr_un()
            guard bytes.count < MemoryLayout.size(ofValue: socketAddress.sun_path) else {
                throw DaemonClientError(url: path, message: "the socket path is too long")
            }
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw DaemonClientError(url: path, message: "cannot make a socket: \(String(cString: strerror(errno)))") }
            socketAddress.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes + [0]) }
            let result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let cause = String(cString: strerror(errno))
                close(fd)
                throw DaemonClientError(url: path, message: "no daemon answers on this socket: \(cause)")
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_flags = AI_NUMERICSERV
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
                throw DaemonClientError(url: address.description, message: "cannot resolve \(host)")
            }
            defer { freeaddrinfo(list) }
            var cause = "no address"
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let info = entry {
                let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
                if fd >= 0 {
                    if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                    cause = String(cString: strerror(errno))
                    close(fd)
                }
                entry = info.pointee.ai_next
            }
            throw DaemonClientError(url: address.description, message: "no daemon answers: \(cause)")
        }
    }
}
