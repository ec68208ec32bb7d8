import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// LISTEN on a libpq connection of its own (a pooled one would lose its notifications to
/// whoever takes it next), on a thread of its own: waits for the socket, reads, and calls
/// `wake` for each notification. A lost connection is opened again every second; `wake` is
/// also called after each (re)connection, since notifications sent meanwhile are gone.
// @unchecked Sendable: `isStopped` is guarded by `lock`; the connection lives on the thread.
final class PGListener: RequestListening, @unchecked Sendable {
    private let lock = NSLock()
    private var isStopped = false

    init(conninfo: String, channel: String, wake: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in run(conninfo: conninfo, channel: channel, wake: wake) }
        thread.name = "tidings.listen"
        thread.start()
    }

    func stop() { lock.withLock { isStopped = true } }

    private var stopped: Bool { lock.withLock { isStopped } }

    /// How long one wait for the socket lasts: how soon `stop` is noticed.
    static let pollMilliseconds: Int32 = 500

    private func run(conninfo: String, channel: String, wake: @escaping @Sendable () -> Void) {
        while !stopped {
            if let connection = try? PGConnection(conninfo), (try? connection.execute("LISTEN \(channel)")) != nil {
                wake()
                listen(on: connection, wake: wake)
            }
            if !stopped { Thread.sleep(forTimeInterval: 1) }
        }
    }

    private func listen(on connection: PGConnection, wake: @Sendable () -> Void) {
        while !stopped {
            var descriptor = pollfd(fd: connection.socketDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.pollMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { return }
            if ready == 0 { continue }
            guard connection.consumeInput() else { return }
            if !connection.takeNotifications().isEmpty { wake() }
        }
    }
}
