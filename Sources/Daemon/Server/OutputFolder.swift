import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files the server may send: regular files inside the output folder, found by URL path.
/// A path that leaves the folder, names a hidden file, or resolves (through a symbolic link
/// anywhere on the way) to something outside the folder is not there; neither is anything
/// that is not a regular file. Blocking calls: run off the cooperative pool.
struct OutputFolder: Sendable {
    /// The folder as given (standardized).
    let root: URL

    init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Which version of a file was read: a rewrite (the publisher renames a new file over the
    /// old) changes the inode, the size or the times.
    struct Version: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        var changedNanoseconds: Int
    }

    /// An opened regular file of the folder.
    struct OpenFile {
        let descriptor: Int32
        let path: String
        let version: Version
        var modified: Date { Date(timeIntervalSince1970: Double(version.modifiedSeconds)) }
    }

    enum Failure: Error, Equatable {
        case notFound
        /// The process is out of descriptors or memory for a moment: try again.
        case busy
        case forbidden
        case failed(String)
    }

    /// The file for a URL path (percent-decoded), opened; the caller closes it.
    func open(urlPath: String) -> Result<OpenFile, Failure> {
        guard let candidate = candidatePath(urlPath) else { return .failure(.notFound) }
        guard let real = Self.realPath(candidate) else { return .failure(Self.failure(errno: errno)) }
        // The folder is resolved on every request: it may not exist yet when the server starts,
        // and systemd's DynamicUser makes /var/cache/tidings a link to /var/cache/private/tidings.
        guard let realRoot = Self.realPath(root.path) else { return .failure(Self.failure(errno: errno)) }
        guard real.hasPrefix(realRoot + "/") else { return .failure(.notFound) }  // a link out of the folder
        let fd = Glibc.open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return .failure(Self.failure(errno: errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(.notFound)
        }
        let version = Version(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
                              modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
                              changedNanoseconds: Int(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int(info.st_ctim.tv_nsec))
        return .success(OpenFile(descriptor: fd, path: real, version: version))
    }

    /// Reads the whole file; nil when reading fails.
    static func read(_ file: OpenFile) -> Data? {
        var data = Data(count: file.version.size)
        var filled = 0
        let ok = data.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) -> Bool in
            while filled < buffer.count {
                let n = Glibc.read(file.descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return false }
                if n == 0 { break }  // shorter than it was: send what is there
                filled += n
            }
            return true
        }
        guard ok else { return nil }
        data.count = filled
        return data
    }

    /// `/a/b.atom` → `<root>/a/b.atom`; `/` or `/dir/` → its index.html; nil for `..`, hidden
    /// names and NUL bytes.
    func candidatePath(_ urlPath: String) -> String? {
        var components = urlPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.contains(where: { $0 == ".." || $0.hasPrefix(".") || $0.contains("\0") }) { return nil }
        if components.isEmpty || urlPath.hasSuffix("/") { components.append("index.html") }
        let file = components.reduce(root) { $0.appendingPathComponent($1) }.standardizedFileURL
        guard file.path.hasPrefix(root.path + "/") else { return nil }
        return file.path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What a failed open or realpath means for the client: a missing file is 404, a process
    /// out of descriptors (a flood) is 503, never 404 for a file that exists.
    static func failure(errno code: Int32) -> Failure {
        switch code {
        case ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG: return .notFound
        case EMFILE, ENFILE, ENOMEM, EAGAIN, EINTR, ENOBUFS: return .busy
        case EACCES, EPERM: return .forbidden
        default: return .failed(String(cString: strerror(code)))
        }
    }
}
