import Foundation
import TestSupport

/// nghttpd (Debian's nghttp2-server) serving a folder over TLS on 127.0.0.1, offering HTTP/2
/// by ALPN as real sites do, with a self-signed certificate made by openssl for the test.
final class HTTP2TestServer {
    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    /// The server's certificate, to be trusted as a CA file.
    let certificate: URL
    private let folder: URL
    private let process: Process

    /// Serves `files` (path → contents) from a temporary folder.
    init(files: [String: String]) throws {
        guard let nghttpd = ["/usr/sbin/nghttpd", "/usr/bin/nghttpd"].first(where: FileManager.default.isExecutableFile) else {
            throw SetupFailure(description: "nghttpd not found: install nghttp2-server (scripts/install-deps does)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-h2-\(UUID().uuidString)")
        let documents = folder.appendingPathComponent("htdocs")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        for (path, contents) in files {
            try Data(contents.utf8).write(to: documents.appendingPathComponent(path))
        }
        certificate = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        let made = try ExternalProcess.run("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", key.path, "-out", certificate.path, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        guard made.succeeded else { throw SetupFailure(description: "openssl could not make a certificate: \(made.output)") }

        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: nghttpd)
        process.arguments = ["--address=127.0.0.1", "--htdocs=\(documents.path)", String(port), key.path, certificate.path]
        let log = folder.appendingPathComponent("nghttpd.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        guard Self.waitUntilListening(port: port, seconds: 10) else {
            stop()
            throw SetupFailure(description: "nghttpd did not start listening on port \(port)")
        }
    }

    func url(_ path: String) -> URL { URL(string: "https://127.0.0.1:\(port)\(path)")! }

    func stop() {
        if process.isRunning {
            // SIGKILL, not terminate(): a child started from a Dispatch worker thread inherits
            // its blocked signals, SIGTERM included, and would never exit.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A port the kernel had free a moment ago (nghttpd cannot report one it chose itself).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SetupFailure(description: "socket() failed") }
        defer { close(fd) }
        var address = LoopbackSocket.address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SetupFailure(description: "could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func waitUntilListening(port: Int, seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let fd = LoopbackSocket.connect(port: port) {
                close(fd)
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
