import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

@Suite("Feed server: connection limit and timeouts")
struct ConnectionLimitTests {
    @Test("the connection budget stays below the descriptor limit and keeps a reserve for refreshing")
    func budgetKeepsReserve() {
        let unitDefault = DescriptorBudget.plan(descriptorLimit: 1024, configuredMaximum: nil)
        #expect(unitDefault.acceptCeiling <= 1024 - DescriptorBudget.minimumReserve)
        #expect(unitDefault.servedConnections < unitDefault.acceptCeiling)
        let raised = DescriptorBudget.plan(descriptorLimit: 65_536, configuredMaximum: nil)
        #expect(raised.servedConnections == DescriptorBudget.defaultMaximumConnections)
        #expect(DescriptorBudget.plan(descriptorLimit: 65_536, configuredMaximum: 10).servedConnections == 10)
        #expect(DescriptorBudget.plan(descriptorLimit: 1024, configuredMaximum: 100_000).servedConnections < 1024 - 256,
                "a configured maximum never goes past the descriptor limit")
        let tiny = DescriptorBudget.plan(descriptorLimit: 64, configuredMaximum: nil)
        #expect(tiny.servedConnections >= 1 && tiny.acceptCeiling > tiny.servedConnections)
    }

    @Test("the systemd unit raises LimitNOFILE far enough to serve the default number of connections and keep the reserve")
    func unitRaisesDescriptorLimit() throws {
        let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("systemd/tidings.service")
        let text = try String(contentsOf: unit, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("LimitNOFILE=") }, "the unit sets LimitNOFILE")
        let limit = try #require(Int(line.dropFirst("LimitNOFILE=".count)))
        let budget = DescriptorBudget.plan(descriptorLimit: limit, configuredMaximum: nil)
        #expect(budget.servedConnections == DescriptorBudget.defaultMaximumConnections)
        #expect(budget.acceptCeiling + budget.reserve <= limit)
    }

    @Test("past max_connections a connection gets 503 with Retry-After at once; a slot freed serves again")
    func excessConnectionsGet503() async throws {
        let fixture = try await ServerFixture(maxConnections: 4, requestTimeout: 60)
        defer { Task { await fixture.shutDown() } }
        let held = ConnectionFlood(port: fixture.port, count: 4) { _ in .silent }
        try await waitUntil(timeout: 10, "the server holds the four connections") { fixture.server.gate.snapshot.open == 4 }

        let refused = try await fixture.get("/alpha.atom")
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.text.contains("too many connections"))
        #expect(fixture.server.gate.snapshot.refused >= 1)

        held.closeAll()
        try await waitUntil(timeout: 10, "the held connections are released") { fixture.server.gate.snapshot.open == 0 }
        #expect(try await fixture.get("/alpha.atom").status == 200)
    }

    @Test("a silent connection, an unfinished header and a header trickled byte by byte are closed at the request timeout")
    func slowClientsAreClosed() async throws {
        let fixture = try await ServerFixture(requestTimeout: 1)
        defer { Task { await fixture.shutDown() } }
        let flood = ConnectionFlood(port: fixture.port, count: 2) { $0 == 0 ? .silent : .unfinishedHeader }
        let port = fixture.port
        // 200 header bytes, one every 50 ms: 10 s in all, ten times the timeout.
        async let trickle = onThread { () -> Int in
            guard let fd = LoopbackSocket.connect(port: port) else { return -1 }
            defer { close(fd) }
            let header = Array(("GET /alpha.atom HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + String(repeating: "a", count: 150) + "\r\n\r\n").utf8)
            for (sent, byte) in header.enumerated() {
                var one = byte
                if send(fd, &one, 1, Int32(MSG_NOSIGNAL)) != 1 { return sent }
                usleep(50_000)
            }
            return header.count
        }
        try await waitUntil(timeout: 15, "the server closes the silent and the unfinished connection") {
            flood.poll()
            return flood.closedByServer == 2
        }
        #expect(flood.otherAnswers.isEmpty, "no answer to an incomplete request: \(flood.otherAnswers)")
        let sentBeforeClose = try await trickle.get()
        #expect(sentBeforeClose < 200, "the trickled header was cut off (\(sentBeforeClose) bytes sent)")
        #expect(fixture.server.gate.snapshot.open == 0)
    }

    @Test("an idle keep-alive connection is closed after the request timeout; a request in time is answered")
    func idleKeepAliveIsClosed() async throws {
        let fixture = try await ServerFixture(requestTimeout: 2)
        defer { Task { await fixture.shutDown() } }
        let port = fixture.port
        let (received, last) = try await onThread { () -> (Data, Int) in
            guard let fd = LoopbackSocket.connect(port: port) else { return (Data(), -2) }
            defer { close(fd) }
            let request = Array("GET /alpha.atom HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return (Data(), -3) }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            var last = 0
            repeat {
                last = recv(fd, &buffer, buffer.count, 0)
                if last > 0 { received.append(contentsOf: buffer[..<last]) }
            } while last > 0
            return (received, last)
        }.get()
        #expect(received.starts(with: Data("HTTP/1.1 200".utf8)), "answered first: \(String(decoding: received.prefix(40), as: UTF8.self))")
        #expect(last == 0, "then closed by the server, not ended by the 30 s receive timeout")
        try await waitUntil(timeout: 10, "the connection's slot is free") { fixture.server.gate.snapshot.open == 0 }
    }

    @Test("a client that stops reading a large response is disconnected after the send timeout")
    func slowReaderIsDisconnected() async throws {
        let fixture = try await ServerFixture(requestTimeout: 30, sendTimeout: 1)
        defer { Task { await fixture.shutDown() } }
        // 16 MiB: far more than the kernel's socket buffers and NIO's write buffer hold.
        try Data(repeating: 0x61, count: 16 << 20).write(to: fixture.folder.appendingPathComponent("public/big.png"))
        let fd = try #require(LoopbackSocket.connect(port: fixture.port))
        defer { close(fd) }
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let request = Array("GET /big.png HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == request.count)
        try await waitUntil(timeout: 10, "the server starts answering") { fixture.server.gate.snapshot.open == 1 }
        try await waitUntil(timeout: 20, "the server gives up on the reader that reads nothing") { fixture.server.gate.snapshot.open == 0 }
    }
}
