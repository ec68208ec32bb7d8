import Foundation
import Testing
@testable import Daemon

@Suite("Reading a daemon's answer")
struct DaemonConnectionTests {
    func parse(_ text: String) -> DaemonConnection.Response? { DaemonConnection.parse(Array(text.utf8)) }

    @Test("Content-Length, chunked and read-to-close bodies")
    func bodies() throws {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello world").map { String(decoding: $0.body, as: UTF8.self) } == "hello")
        #expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n")
            .map { String(decoding: $0.body, as: UTF8.self) } == "hello world")
        #expect(parse("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n{}").map(\.status) == 404)
    }

    @Test("broken answers are nil, never a crash", arguments: [
        "", "HTTP/1.1 200 OK\r\n", "garbage\r\n\r\n", "HTTP/1.1 abc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nshort", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFFFFFFFFFF\r\nx\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello",
    ])
    func broken(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("addresses: http URLs and socket paths")
    func addresses() {
        #expect(DaemonAddress(parsing: "http://127.0.0.1:8080") == .tcp(host: "127.0.0.1", port: 8080))
        #expect(DaemonAddress(parsing: "http://[::1]:9000")?.description == "http://[::1]:9000")
        #expect(DaemonAddress(parsing: "/run/tidings/http.sock") == .unixSocket(path: "/run/tidings/http.sock"))
        #expect(DaemonAddress(parsing: "https://feeds.example.org/") == nil, "the daemon speaks plain HTTP only")
        #expect(DaemonAddress(parsing: "localhost:8080") == nil)
    }
}
