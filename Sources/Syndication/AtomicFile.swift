import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder, whose files are replaced so that a reader (or a crash) only ever sees
/// the old file or the new one: a temporary file in the same folder (`StreamedFile`), synced,
/// renamed over the old one; the folder synced after a set of renames. A file whose bytes
/// would not change is not touched at all.
struct AtomicFile {
    var directory: URL

    /// Permissions of the published files: readable by the web server, writable by Tidings.
    static let fileMode: mode_t = 0o644

    /// Creates the folder (and its parents) when missing, and, when `removingAbandoned`,
    /// removes temporary files that a killed run left behind (those whose writing process no
    /// longer exists). That lists the whole folder (three files per source), so a long-running
    /// publisher does it once, at its start: two publishers never share a folder, so the runs
    /// that can have left files behind are the ones before it.
    func prepare(removingAbandoned: Bool = true) throws(PublishError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PublishError(file: directory.path, message: "cannot create the output folder: \(error.localizedDescription)")
        }
        if removingAbandoned { removeAbandonedTemporaries() }
    }

    /// `.<name>.<pid>.<random>.tmp`: the pid tells whether the writer may still be at work.
    static func temporaryName(for name: String, pid: Int32 = getpid()) -> String {
        ".\(name).\(pid).\(UInt32.random(in: .min ... .max)).tmp"
    }

    /// The pid in a temporary file's name, or nil when the name is not one of ours.
    static func writerPID(ofTemporary name: String) -> Int32? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropLast(".tmp".count).split(separator: ".")
        guard parts.count >= 3, UInt32(parts[parts.count - 1]) != nil else { return nil }
        return Int32(parts[parts.count - 2])
    }

    private func removeAbandonedTemporaries() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names {
            guard let pid = Self.writerPID(ofTemporary: name), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                unlink(directory.appendingPathComponent(name).path)
            }
        }
    }

    func syncDirectory(_ name: String) throws(PublishError) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(name, "cannot open the folder to fsync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(name, "fsync of the folder failed") }
    }

    /// The error for `name`, with the cause errno gives.
    func failure(_ name: String, _ what: String) -> PublishError {
        let cause = String(cString: strerror(errno))
        return PublishError(file: directory.appendingPathComponent(name).path, message: "\(what): \(cause)")
    }
}
