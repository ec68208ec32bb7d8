import Foundation

/// The files of the output folder by name, for a store that keeps a copy of each (several
/// nodes serving the same bytes).
extension Publisher {
    /// The names of a source's feed files (`<id>.atom`, `<id>.json`, `<id>.rss`); the
    /// combined feeds are `feedFileNames(of: Publisher.combinedStem)`.
    public static func feedFileNames(of stem: String) -> [String] {
        FeedFormat.allCases.map { FeedLinks.fileName(stem, $0) }
    }

    /// The files a publication of these sources writes: their feeds, the combined feeds, the OPML list and the index page.
    public static func fileNames(of sourceIDs: [String]) -> [String] {
        (sourceIDs + [combinedStem]).flatMap(feedFileNames(of:)) + [opmlFileName, indexFileName]
    }

    /// Writes a file another node rendered into the output folder (atomically and durably,
    /// like the publisher's own; left alone when its bytes are the same). Only plain names
    /// (no folder, not hidden) are written.
    public func writeFile(named name: String, bytes: [UInt8]) throws(PublishError) {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.contains("\0") else {
            throw PublishError(file: name, message: "not a file name of the output folder")
        }
        try prepareFolder(removingAbandoned: false)  // the publication itself cleans up once per process
        let report = try stream(name) { file throws(PublishError) in try file.write(bytes) }
        guard !report.written.isEmpty else { return }
        do {
            try commit()
        } catch {
            discardWritten()
            throw error
        }
    }
}
