import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a plain socket (TCP on loopback or a unix
/// socket), so tests see exactly the bytes a server sends: no automatic decompression,
/// redirects or caching in the way.
struct RawHTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawHTTPClient {
    enum Target: Sendable {
        case tcp(port: Int)
        case unixSocket(String)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func send(_ method: String, _ path: String, to target: Target, headers: [String: String] = [:],
                     body: Data = Data()) async throws -> RawHTTPResponse {
        try await onThread { try sendBlocking(method, path, to: target, headers: headers, body: body) }.get()
    }

    static func sendBlocking(_ method: String, _ path: String, to target: Target, headers: [String: String],
                             body: Data) throws -> RawHTTPResponse {
        let fd = try connect(target)
        defer { close(fd) }
        // Generous: under the full suite on 2 busy cores, tests that wait for child processes
        // can hold the cooperative pool the server answers on for more than 30 s.
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let request = Data(head.utf8) + body
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw Failure(description: "send failed: errno \(errno)") }
                offset += n
            }
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw Failure(description: "\(method) \(path): recv failed: errno \(errno)") }
            if n == 0 { break }
            received.append(contentsOf: buffer[..<n])
        }
        return try parse(received, isHead: method == "HEAD")
    }

    static func parse(_ data: Data, isHead: Bool) throws -> RawHTTPResponse {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { throw Failure(description: "no header end in \(data.count) bytes") }
        let headText = String(decoding: data[..<split.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if isHead { body = Data() }
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw Failure(description: "bad chunk size") }
            if size == 0 { break }
            let start = lineEnd.upperBound
            out.append(rest[start..<(start + size)])
            rest = rest[(start + size + 2)...]
        }
        return out
    }

    static func connect(_ target: Target) throws -> Int32 {
        switch target {
        case .tcp(let port):
            guard let fd = LoopbackSocket.connect(port: port) else {
                throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
            }
            return fd
        case .unixSocket(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else { close(fd); throw Failure(description: "connect to \(path) failed: errno \(errno)") }
            return fd
        }
    }
}

/// Runs blocking socket code on a thread of its own: blocking one of Swift concurrency's few
/// threads (one per core on Linux) would stall the in-process servers that the test talks to.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, Error> {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result { try body() }) }.start()
    }
}

/// gunzip through the system's gzip, to check compressed bodies independently of our zlib code.
func gunzip(_ data: Data) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-gz-\(UUID().uuidString).gz")
    try data.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let outcome = try ExternalProcess.run("gzip", ["-dc", file.path])
    guard outcome.succeeded else { throw RawHTTPClient.Failure(description: "gzip: \(outcome.output)") }
    return outcome.output
}
