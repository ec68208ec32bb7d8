import Fetching
import Foundation
import Storage
import Syndication
import TidingsCore

/// What a node sharing its store with others needs of the pipeline: the store's copy of the
/// feed files, a copy of them in its own output folder, and a fingerprint of its catalog.
extension Refresher {
    /// The store's copy of the rendered feed files, when the store is shared (PostgreSQL).
    public var feedDocuments: (any FeedDocumentStore)? { store as? any FeedDocumentStore }

    /// Writes a feed file another node rendered into this node's output folder.
    public func mirrorFile(named name: String, bytes: [UInt8]) throws(PublishError) {
        let publisher = Publisher(configuration: PublisherConfiguration(outputDirectory: configuration.outputDirectory,
                                                                        baseURL: configuration.baseURL))
        try publisher.writeFile(named: name, bytes: bytes)
    }

    /// A hash of the feeds folder as it is now (see `CatalogLoader.digest`) and the number of
    /// sources it defines.
    public func catalogDigest() -> (hash: String, sourceCount: Int) {
        let directory = configuration.feedsDirectory
        return (CatalogLoader.digest(directory: directory), loadCatalog().sources.count)
    }
}

extension CatalogLoader {
    /// A hash of every `*.toml` file's name and bytes, in name order: two nodes with the same
    /// hash read the same sources. A comment edited on one node makes them differ too, which
    /// is what an operator copying feeds/ to every node wants to hear about.
    public static func digest(directory: URL) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
        var bytes: [UInt8] = []
        for name in names {
            let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) ?? Data()
            bytes += Array(name.utf8) + [0] + Array(String(data.count).utf8) + [0] + Array(data) + [0]
        }
        return String(BodyHash.of(bytes).dropFirst(BodyHash.prefix.count))
    }
}
