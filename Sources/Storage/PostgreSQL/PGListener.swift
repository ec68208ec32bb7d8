import CPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// LISTEN on a libpq connection of its own, on a thread of its own: it waits in poll(2) on
/// the connection's socket and on a pipe that `stop` writes to. A dropped connection (server
/// restart, a terminated backend) is reported and opened again `retryDelay` later; while it is
/// down the caller polls instead (notifications sent meanwhile are lost, so `.listening` means
/// "look once for what you missed").
// @unchecked Sendable: `stopped` and `listening` are guarded by `lock`; the libpq connection
// is used by the listening thread only.
final class PGListener: DocumentWatch, RequestListening, @unchecked Sendable {
    /// Set on the listening backend, so an operator (or a test) can tell it from the pool's.
    static let applicationName = "tidings-listen"
    /// A silent network never wakes poll(2): after this long without a word the connection is
    /// asked something, which fails if it is gone.
    static let livenessInterval: Int32 = 30_000

    private let conninfo: String
    private let channel: String
    private let retryDelay: TimeInterval
    private let onEvent: @Sendable (DocumentWatchEvent) -> Void
    private let lock = NSLock()
    private var stopped = false
    private var listening = false
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)

    init(conninfo: String, channel: String, retryDelay: TimeInterval, onEvent: @escaping @Sendable (DocumentWatchEvent) -> Void) {
        self.conninfo = conninfo
        self.channel = channel
        self.retryDelay = retryDelay
        self.onEvent = onEvent
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        } else {
            ends = [-1, -1]
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
        let thread = Thread { [self] in run() }
        thread.name = "tidings.postgres.listen"
        thread.start()
    }

    var isListening: Bool { lock.withLock { listening } }

    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        finished.wait()
        close(wakeRead)
        close(wakeWrite)
    }

    private func run() {
        defer { finished.signal() }
        while !isStopped {
            let cause = listenOnce()
            lock.withLock { listening = false }
            if isStopped { return }
            onEvent(.lost(cause))
            if waitForWake(milliseconds: Int32(min(retryDelay, 3600) * 1000)) { return }
        }
    }

    /// Connects, listens and reports notifications until the connection fails (returns the
    /// cause) or `stop` is called.
    private func listenOnce() -> String {
        guard let connection = PQconnectdb(conninfo) else { return "libpq could not allocate a connection" }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else { return PGConnection.text(PQerrorMessage(connection)) }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if let failure = command(connection, "SET application_name = '\(Self.applicationName)'; LISTEN \(quoted)") { return failure }
        lock.withLock { listening = true }
        onEvent(.listening)
        let socket = PQsocket(connection)
        while true {
            var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Self.livenessInterval)
            if ready < 0 {
                if errno == EINTR { continue }
                return "poll failed: \(String(cString: strerror(errno)))"
            }
            if fds[1].revents != 0 { return "stopped" }
            if ready == 0 {
                if let failure = command(connection, "SELECT 1") { return failure }
                continue
            }
            if PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK {
                return PGConnection.text(PQerrorMessage(connection))
            }
            var changed = false
            while let notification = PQnotifies(connection) {
                changed = true
                PQfreemem(notification)
            }
            if changed { onEvent(.changed) }
        }
    }

    /// Runs a command on the listening connection; the error, or nil.
    private func command(_ connection: OpaquePointer, _ sql: String) -> String? {
        guard let result = PQexec(connection, sql) else { return PGConnection.text(PQerrorMessage(connection)) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { return PGConnection.text(PQresultErrorMessage(result)) }
        return nil
    }

    /// Sleeps up to `milliseconds`; true when `stop` woke it.
    private func waitForWake(milliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0 || isStopped
        }
    }
}
