import Dispatch
import Foundation

/// A few libpq connections, each used by one thread at a time. Statements block, so they run
/// on a queue of their own, never on the cooperative thread pool. A connection the server
/// dropped (a restart) is replaced, and the work that met it is tried once more on a new one.
// @unchecked Sendable: `idle` is guarded by `lock`; a connection is used by one job at a time.
final class PGPool: @unchecked Sendable {
    let conninfo: String
    private let lock = NSLock()
    private var idle: [PGConnection] = []
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "tidings.postgres", qos: .utility, attributes: .concurrent)

    init(conninfo: String, size: Int) {
        self.conninfo = conninfo
        slots = DispatchSemaphore(value: max(1, size))
    }

    /// Runs `body` with a connection, off the cooperative pool.
    func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws(PGFailure) -> T) async throws(PGFailure) -> T {
        let result: Result<T, PGFailure> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                slots.wait()
                defer { slots.signal() }
                continuation.resume(returning: runBlocking(body))
            }
        }
        return try result.get()
    }

    /// `body` inside BEGIN … COMMIT; any error rolls back.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws(PGFailure) -> T) async throws(PGFailure) -> T {
        try await run { connection throws(PGFailure) -> T in
            try connection.execute("BEGIN")
            do throws(PGFailure) {
                let value = try body(connection)
                try connection.execute("COMMIT")
                return value
            } catch {
                if !error.connectionLost { _ = try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }

    private func runBlocking<T>(_ body: (PGConnection) throws(PGFailure) -> T) -> Result<T, PGFailure> {
        var lastFailure: PGFailure?
        for _ in 0..<2 {
            let connection: PGConnection
            do {
                connection = try take()
            } catch {
                return .failure(error)
            }
            do {
                let value = try body(connection)
                give(connection)
                return .success(value)
            } catch {
                if error.connectionLost {
                    lastFailure = error
                    continue  // the connection is dropped; one more try on a new one
                }
                give(connection)
                return .failure(error)
            }
        }
        return .failure(lastFailure ?? PGFailure(message: "the connection was lost", sqlState: nil, connectionLost: true))
    }

    private func take() throws(PGFailure) -> PGConnection {
        if let connection = lock.withLock({ idle.popLast() }), connection.isUsable { return connection }
        return try PGConnection(conninfo)
    }

    private func give(_ connection: PGConnection) {
        guard connection.isUsable else { return }
        lock.withLock { idle.append(connection) }
    }
}
