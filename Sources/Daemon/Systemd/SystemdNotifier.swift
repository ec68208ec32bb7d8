import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) by hand: one datagram per message to the AF_UNIX socket named in
/// `$NOTIFY_SOCKET` (a leading `@` names an abstract socket). Without the variable
/// (not started by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket path, `@` already turned into the leading NUL of an abstract name.
    public let socketAddress: [UInt8]?
    /// Half of `$WATCHDOG_USEC` (sd_watchdog_enabled(3) advises pinging at half the timeout),
    /// when the watchdog is on for this process.
    public let watchdogPingInterval: TimeInterval?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        if let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.hasPrefix("/") || path.hasPrefix("@") {
            var bytes = Array(path.utf8)
            if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
            socketAddress = bytes
        } else {
            socketAddress = nil
        }
        let watchdogForUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
        if watchdogForUs, let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            watchdogPingInterval = Double(usec) / 1_000_000 / 2
        } else {
            watchdogPingInterval = nil
        }
    }

    public var isEnabled: Bool { socketAddress != nil }

    /// READY=1 with a status line: the daemon serves and schedules.
    public func ready(status: String) { send("READY=1\nSTATUS=\(Self.oneLine(status))") }
    public func status(_ text: String) { send("STATUS=\(Self.oneLine(text))") }
    public func watchdog() { send("WATCHDOG=1") }
    /// RELOADING=1 plus MONOTONIC_USEC, as systemd ≥ 253 expects for Type=notify-reload.
    public func reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=\(UInt64(MonotonicClock.now() * 1_000_000))")
    }
    public func stopping() { send("STOPPING=1") }

    /// Sends one message; false when there is no socket or the send failed (never fatal:
    /// systemd may have gone away while we shut down).
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let path = socketAddress else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        // Abstract names are exactly as long as given; paths are NUL-terminated.
        let length = MemoryLayout<sa_family_t>.size + path.count + (path.first == 0 ? 0 : 1)
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bytes.withUnsafeBytes { buffer in
                    // Never wait: a listener that stops reading (its queue holds ~10 datagrams)
                    // must not freeze the scheduler queue that sends; a dropped ping is harmless.
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sockaddrPointer, socklen_t(length))
                }
            }
        }
        return sent == bytes.count
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
