import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for systemd's notification socket: an AF_UNIX datagram socket bound to a
/// path (or an abstract name) that collects what the daemon sends.
final class NotifyListener: @unchecked Sendable {
    // Invariant: `fd` is set in init and closed once in deinit; receive() is called from one task at a time.
    let fd: Int32
    /// The value for $NOTIFY_SOCKET.
    let address: String

    init(abstract: Bool) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let name = "tidings-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes: [UInt8]
        if abstract {
            address = "@" + name
            bytes = [0] + Array(name.utf8)
        } else {
            address = NSTemporaryDirectory() + name + ".sock"
            bytes = Array(address.utf8) + [0]
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EINVAL) }
        // Never block a test forever: give up after 10 s.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        if address.hasPrefix("/") { unlink(address) }
    }

    /// The next datagram, or nil after the timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Discards what is queued now. The daemon drops notifications when the queue is full (it
    /// never waits on the listener), so a test that was busy elsewhere drains before it
    /// waits for the next message, as systemd, which reads at once, never needs to.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {}
    }

    /// Reads datagrams until one contains `needle`; returns all read, or nil on timeout.
    func receive(until needle: String) -> [String]? {
        var seen: [String] = []
        while let message = receive() {
            seen.append(message)
            if message.contains(needle) { return seen }
        }
        return nil
    }

    /// `receive(until:)` on a thread of its own, so the wait blocks no Swift concurrency thread.
    func receiveOffThread(until needle: String) async -> [String]? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.receive(until: needle)) }.start()
        }
    }
}
