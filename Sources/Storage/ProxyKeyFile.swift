import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The secret that signs image proxy URLs: 32 random bytes in `image-proxy.key` of the state
/// folder, created the first time it is needed and never replaced afterwards (a new key
/// would break every image URL in feeds already published). Nodes that share the state
/// folder share the key.
public enum ProxyKeyFile {
    public static let fileName = "image-proxy.key"
    static let keyBytes = 32

    /// The key of `stateDirectory`, made now if there is none yet. Two processes that start
    /// together agree: the key is written aside and linked into place, and the loser reads
    /// the winner's.
    public static func loadOrCreate(stateDirectory: URL) throws(StorageError) -> [UInt8] {
        let path = stateDirectory.appendingPathComponent(fileName).path
        if let existing = read(path) { return existing }
        do {
            try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(operation: "create the state folder for the image proxy key", message: "\(error)")
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<keyBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw StorageError(operation: "write \(fileName)", message: "cannot create \(temporary)")
        }
        defer { unlink(temporary) }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw StorageError(operation: "write \(fileName)", message: String(cString: strerror(errno)))
        }
        guard let stored = read(path) else {
            throw StorageError(operation: "read \(fileName)", message: "\(path) is not a key of \(keyBytes) bytes; remove it only if no published feed uses proxied images")
        }
        return stored
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path), data.count == keyBytes else { return nil }
        return [UInt8](data)
    }
}
