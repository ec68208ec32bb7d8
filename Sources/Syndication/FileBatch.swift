import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of one publication, made durable together: every temporary file is synced (many
/// at once: a disk, a virtual one especially, flushes several requests in about the time of
/// one), then each is renamed over its old file in the order written (the index page last, so
/// it never links to a feed not there yet), then the folder is synced once. Until then readers
/// see the old files; a crash leaves only temporary files, removed by the next `prepare`.
// @unchecked Sendable: `written` is guarded by `lock`.
public final class FileBatch: @unchecked Sendable {
    struct Written: Sendable {
        var name: String
        var temporaryPath: String
    }

    private let disk: AtomicFile
    private let lock = NSLock()
    private var written: [Written] = []

    /// Syncs running at once: enough to keep a disk's queue full, few enough threads.
    static let parallelSyncs = 16

    init(disk: AtomicFile) {
        self.disk = disk
    }

    var isEmpty: Bool { lock.withLock { written.isEmpty } }

    func add(_ file: Written) {
        lock.withLock { written.append(file) }
    }

    /// Syncs, renames and syncs the folder; the batch is empty afterwards. On a failure the
    /// files not renamed yet are removed and the old ones stay.
    func commit() throws(PublishError) {
        let files = lock.withLock { () -> [Written] in
            defer { written = [] }
            return written
        }
        guard !files.isEmpty else { return }
        var firstFailure: PublishError?
        let failures = Self.syncAll(files.map(\.temporaryPath))
        for (file, failed) in zip(files, failures) {
            if firstFailure == nil, let failed {
                firstFailure = PublishError(file: disk.directory.appendingPathComponent(file.name).path, message: "fdatasync failed: \(failed)")
            }
            if firstFailure != nil {
                unlink(file.temporaryPath)
                continue
            }
            if rename(file.temporaryPath, disk.directory.appendingPathComponent(file.name).path) != 0 {
                firstFailure = disk.failure(file.name, "rename failed")
                unlink(file.temporaryPath)
            }
        }
        try disk.syncDirectory(disk.directory.lastPathComponent)
        if let firstFailure { throw firstFailure }
    }

    /// Removes every temporary file of the batch (a publication that failed half way).
    func discard() {
        let files = lock.withLock { () -> [Written] in
            defer { written = [] }
            return written
        }
        for file in files { unlink(file.temporaryPath) }
    }

    /// fdatasync of each path, `parallelSyncs` at a time; the cause of each failure, or nil.
    static func syncAll(_ paths: [String]) -> [String?] {
        let results = Locked(Array<String?>(repeating: nil, count: paths.count))
        let slots = DispatchSemaphore(value: parallelSyncs)
        let group = DispatchGroup()
        for (index, path) in paths.enumerated() {
            slots.wait()
            DispatchQueue.global(qos: .utility).async(group: group) {
                defer { slots.signal() }
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 || fdatasync(fd) != 0 {
                    let cause = String(cString: strerror(errno))
                    results.withLock { $0[index] = cause }
                }
                if fd >= 0 { close(fd) }
            }
        }
        group.wait()
        return results.withLock { $0 }
    }
}

/// A value behind a lock.
// @unchecked Sendable: `value` is read and written only under `lock`.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
