import Foundation
import TidingsCore

/// Options of the Syndication writers.
public struct PublisherConfiguration: Sendable {
    /// The folder the feeds, index.html and feeds.opml are written to.
    public var outputDirectory: URL
    /// Public base URL the output folder is served under (for `rel="self"` links); nil = relative file links.
    public var baseURL: URL?

    public init(outputDirectory: URL, baseURL: URL? = nil) {
        self.outputDirectory = outputDirectory
        self.baseURL = baseURL
    }
}

/// One source's feed as it is to be written.
public struct FeedChannel: Sendable {
    public var source: Source
    /// Newest first, at most `source.keep`.
    public var entries: [FeedEntry]
    public var health: SourceHealth

    public init(source: Source, entries: [FeedEntry], health: SourceHealth = .init()) {
        self.source = source
        self.entries = entries
        self.health = health
    }
}

/// Why publishing failed (the disk said no), naming the file.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "could not write \(file): \(message)" }
}
