import Dispatch
import Foundation
import GRDB

/// Writes from many concurrent refreshes share transactions: while one transaction commits
/// (with synchronous=FULL, a disk sync: from 1 ms on an SSD to 250 ms on a busy virtual disk),
/// the writes that arrive queue up and then commit together, each in its own savepoint so
/// that one failing write does not undo the others. Sixteen sources finishing at once cost one
/// disk sync instead of sixteen.
// @unchecked Sendable: `pending` and `isWriting` are guarded by `lock`; transactions run one at a
// time on `queue`.
final class GroupCommit: @unchecked Sendable {
    private let pool: DatabasePool
    private let lock = NSLock()
    private var pending: [Job] = []
    private var isWriting = false
    /// Transactions committed so far (tests watch writes share them).
    private(set) var transactions = 0
    /// Writes waiting for the next transaction.
    var waitingCount: Int { lock.withLock { pending.count } }
    private let queue = DispatchQueue(label: "tidings.store.commit", qos: .utility)

    /// Writes joined into one transaction at most: a bound on how long the first of them waits.
    static let largestGroup = 256

    private struct Job {
        /// Runs the write in its savepoint and keeps its result.
        let run: (Database) -> Void
        /// Hands the kept result (or the commit's failure) to the waiting caller.
        let finish: ((any Error)?) -> Void
    }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let job = Job(run: { db in
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try body(db)
                        return .commit
                    }
                    outcome.result = value.map { .success($0) }
                } catch {
                    outcome.result = .failure(error)
                }
            }, finish: { commitError in
                if let commitError {
                    continuation.resume(throwing: commitError)
                } else if let result = outcome.result {
                    continuation.resume(with: result)
                } else {
                    continuation.resume(throwing: DatabaseError(message: "the write produced no result"))
                }
            })
            let mustStart = lock.withLock { () -> Bool in
                pending.append(job)
                guard !isWriting else { return false }
                isWriting = true
                return true
            }
            if mustStart { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let jobs = lock.withLock { () -> [Job] in
                let taken = Array(pending.prefix(Self.largestGroup))
                pending.removeFirst(taken.count)
                if taken.isEmpty { isWriting = false }
                return taken
            }
            if jobs.isEmpty { return }
            do {
                try pool.write { db in
                    for job in jobs { job.run(db) }
                }
                lock.withLock { transactions += 1 }
                for job in jobs { job.finish(nil) }
            } catch {
                for job in jobs { job.finish(error) }
            }
        }
    }
}

/// The result of one write of a group, kept until its transaction commits.
// @unchecked Sendable: written inside the transaction, read after it, on the commit queue only.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
