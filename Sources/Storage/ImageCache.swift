import Foundation

/// Proxied images kept on disk (`images/` in the state folder), at most `limit` bytes in
/// all: storing past the limit removes the entries used least recently. An entry is one file:
/// a line of JSON (media type, ETag, when fetched) and then the image bytes.
public final class ImageCache: Sendable {
    public struct Entry: Sendable, Hashable, Codable {
        public var contentType: String
        public var etag: String
        /// When the image was fetched (seconds since 1970).
        public var fetchedAt: Double
        public var body: Data

        public init(contentType: String, etag: String, fetchedAt: Double, body: Data) {
            self.contentType = contentType
            self.etag = etag
            self.fetchedAt = fetchedAt
            self.body = body
        }

        private enum CodingKeys: String, CodingKey { case contentType, etag, fetchedAt }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            contentType = try values.decode(String.self, forKey: .contentType)
            etag = try values.decode(String.self, forKey: .etag)
            fetchedAt = try values.decode(Double.self, forKey: .fetchedAt)
            body = Data()
        }

        public func encode(to encoder: any Encoder) throws {
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(contentType, forKey: .contentType)
            try values.encode(etag, forKey: .etag)
            try values.encode(fetchedAt, forKey: .fetchedAt)
        }
    }

    public static let folderName = "images"
    public let directory: URL
    public let limit: Int
    /// One store at a time: eviction reads the folder and must not race another store.
    private let storeLock = NSLock()

    public init(stateDirectory: URL, limit: Int) {
        directory = stateDirectory.appendingPathComponent(Self.folderName, isDirectory: true)
        self.limit = limit
    }

    /// The entry for `key`, when cached and readable; a hit counts as a use (for eviction).
    public func entry(for key: String) -> Entry? {
        let url = file(for: key)
        guard let data = FileManager.default.contents(atPath: url.path),
              let newline = data.firstIndex(of: UInt8(ascii: "\n")),
              var entry = try? JSONDecoder().decode(Entry.self, from: data[data.startIndex..<newline]) else { return nil }
        entry.body = Data(data[data.index(after: newline)...])
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
        return entry
    }

    /// Stores `entry` for `key` (replacing an older one), then trims the folder to `limit`.
    /// An image larger than the whole limit is not kept.
    public func store(_ entry: Entry, for key: String) throws(StorageError) {
        guard entry.body.count <= limit else { return }
        storeLock.lock()
        defer { storeLock.unlock() }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var data = try JSONEncoder().encode(entry)
            data.append(UInt8(ascii: "\n"))
            data.append(entry.body)
            try data.write(to: file(for: key), options: .atomic)
            try trim()
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(operation: "cache an image", message: "\(error)")
        }
    }

    /// Bytes the cached images take now.
    public var size: Int { (try? files().reduce(0) { $0 + $1.size }) ?? 0 }

    private func trim() throws {
        var entries = try files()
        var total = entries.reduce(0) { $0 + $1.size }
        guard total > limit else { return }
        entries.sort { $0.used < $1.used }
        for entry in entries where total > limit {
            try? FileManager.default.removeItem(at: entry.url)
            total -= entry.size
        }
    }

    private func files() throws -> [(url: URL, size: Int, used: Date)] {
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        let urls = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: keys)
        return urls.filter { $0.pathExtension == "image" }.map { url in
            let values = try? url.resourceValues(forKeys: Set(keys))
            return (url, values?.fileSize ?? 0, values?.contentModificationDate ?? .distantPast)
        }
    }

    /// `key` is a proxy URL's signature (base64url): safe as a file name, and distinct per
    /// source and image. Anything else is reduced to its safe characters.
    private func file(for key: String) -> URL {
        let safe = String(key.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" })
        return directory.appendingPathComponent((safe.isEmpty ? "_" : safe) + ".image")
    }
}
