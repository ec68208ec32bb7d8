import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of the output folder written as a stream: bytes go through a small buffer into a
/// temporary file, and are compared on the way with the file they replace. `finish` hands
/// the temporary file to the publication's `FileBatch`, which syncs the batch's files
/// together and renames each over its old one; when every byte was the same, it throws the
/// temporary file away so the old file (and its mtime, which the server's ETag uses) stays.
/// Memory stays at the buffer's size whatever the feed's length.
final class StreamedFile {
    /// Write size: big enough that the kernel sees few calls, small next to any feed.
    static let bufferSize = 64 * 1024

    private let disk: AtomicFile
    private let name: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// The file being replaced, read along as long as everything written matched it.
    private var oldFD: Int32
    private var oldBuffer: [UInt8] = []
    private var isClosed = false

    init(_ disk: AtomicFile, name: String) throws(PublishError) {
        self.disk = disk
        self.name = name
        temporaryPath = disk.directory.appendingPathComponent(AtomicFile.temporaryName(for: name)).path
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
        guard fd >= 0 else { throw disk.failure(name, "cannot create a temporary file in \(disk.directory.path)") }
        oldFD = open(disk.directory.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    func write(_ bytes: [UInt8]) throws(PublishError) {
        try write(bytes[...])
    }

    func write(_ bytes: ArraySlice<UInt8>) throws(PublishError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// The written file, ready to replace the old one, or nil when the old one already held
    /// exactly these bytes (the temporary file is gone then).
    func finish() throws(PublishError) -> FileBatch.Written? {
        try flush()
        if oldFD >= 0 && isAtEndOfOld() {
            abandon()
            return nil
        }
        closeOld()
        let status = close(fd)
        isClosed = true
        guard status == 0 else {
            unlink(temporaryPath)
            throw disk.failure(name, "close failed")
        }
        return FileBatch.Written(name: name, temporaryPath: temporaryPath)
    }

    /// Removes the temporary file; the old file stays as it was.
    func abandon() {
        closeOld()
        guard !isClosed else { return }
        isClosed = true
        close(fd)
        unlink(temporaryPath)
    }

    private func flush() throws(PublishError) {
        guard !buffer.isEmpty else { return }
        compareWithOld()
        let failed: Bool = buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += n
            }
            return false
        }
        buffer.removeAll(keepingCapacity: true)
        if failed { throw disk.failure(name, "write failed") }
    }

    /// Reads as many bytes of the old file as the buffer holds; any difference stops the comparison.
    private func compareWithOld() {
        guard oldFD >= 0 else { return }
        if oldBuffer.count < buffer.count { oldBuffer = [UInt8](repeating: 0, count: buffer.count) }
        let wanted = buffer.count
        var got = 0
        let matched: Bool = oldBuffer.withUnsafeMutableBytes { raw in
            while got < wanted {
                let n = read(oldFD, raw.baseAddress! + got, wanted - got)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                got += n
            }
            return memcmp(raw.baseAddress!, buffer, wanted) == 0
        }
        if !matched { closeOld() }
    }

    private func isAtEndOfOld() -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = read(oldFD, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            return n == 0
        }
    }

    private func closeOld() {
        if oldFD >= 0 { close(oldFD) }
        oldFD = -1
    }
}
