import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Many raw TCP connections to one loopback port, held open by the test: each sends nothing
/// at all, or the start of a request header that never ends (a slowloris client). Tracks
/// which ones the server has answered and closed.
final class ConnectionFlood: @unchecked Sendable {
    // Invariant: used from one task at a time (the test's).
    enum Behaviour { case silent, unfinishedHeader }

    private struct Connection {
        var fd: Int32
        var behaviour: Behaviour
        var isConnected = false
        var hasSent = false
        var isClosedByServer = false
        var received = Data()
    }

    static let unfinishedHeader = Array("GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8)

    private var connections: [Connection] = []
    /// Connections that could not even be started (socket() failed): the test's own limit.
    private(set) var failedToOpen = 0

    /// Starts `count` non-blocking connects; `behaviour(i)` chooses what the i-th one does.
    init(port: Int, count: Int, behaviour: (Int) -> Behaviour) {
        Self.raiseOwnDescriptorLimit(to: count + 512)
        var address = LoopbackSocket.address(port: port)
        for index in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { failedToOpen += 1; continue }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 || errno == EINPROGRESS else { close(fd); failedToOpen += 1; continue }
            connections.append(Connection(fd: fd, behaviour: behaviour(index), isConnected: result == 0))
        }
    }

    deinit { closeAll() }

    var count: Int { connections.count }

    /// Sends the unfinished headers on the connections that are established by now, reads
    /// whatever the server sent, and notes which connections the server closed.
    func poll() {
        var descriptors = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN | POLLOUT), revents: 0) }
        guard Glibc.poll(&descriptors, nfds_t(descriptors.count), 0) >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for index in connections.indices where !connections[index].isClosedByServer {
            let events = Int32(descriptors[index].revents)
            if events & Int32(POLLOUT) != 0 { connections[index].isConnected = true }
            if connections[index].isConnected, !connections[index].hasSent, connections[index].behaviour == .unfinishedHeader {
                let sent = Self.unfinishedHeader.withUnsafeBytes { send(connections[index].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent > 0 { connections[index].hasSent = true }
            }
            guard events & Int32(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
            while true {
                let n = recv(connections[index].fd, &buffer, buffer.count, 0)
                if n > 0 { connections[index].received.append(contentsOf: buffer[..<n]); continue }
                if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                    // Answered and closed by the server: let go of our end, as a client would.
                    connections[index].isClosedByServer = true
                    shutdown(connections[index].fd, Int32(SHUT_RDWR))
                }
                break
            }
        }
    }

    /// Connections the server has closed (after answering 503, or on its request deadline).
    var closedByServer: Int { connections.filter(\.isClosedByServer).count }

    /// Connections that received a 503 answer.
    var refusedWith503: Int {
        connections.filter { $0.received.starts(with: Data("HTTP/1.1 503".utf8)) }.count
    }

    /// Anything the server sent that is not a 503 (it must answer nothing else before a request is whole).
    var otherAnswers: [String] {
        connections.filter { !$0.received.isEmpty && !$0.received.starts(with: Data("HTTP/1.1 503".utf8)) }
            .map { String(decoding: $0.received.prefix(80), as: UTF8.self) }
    }

    func closeAll() {
        for connection in connections { close(connection.fd) }
        connections = []
    }

    /// The test process itself needs a descriptor per connection.
    static func raiseOwnDescriptorLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// How many connections this process can hold besides a margin for everything else.
    static func affordable(_ wanted: Int) -> Int {
        raiseOwnDescriptorLimit(to: wanted + 512)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return max(0, min(wanted, Int(clamping: limit.rlim_cur) - 512))
    }
}
