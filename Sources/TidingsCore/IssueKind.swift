import Foundation

/// What kind of problem a refresh met, with a stable name (`fetch.timeout`, `extract.listingPage`,
/// `store`) that `/metrics` labels, `/status.json`, the refresh answer and the index page use.
/// The stage is typed; the cause is the stable name of the failing module's own error case
/// (`FetchError.kind`, `ExtractionFailure.Reason`).
public struct IssueKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Stage: String, Sendable, CaseIterable {
        /// The listing page or an article page could not be fetched.
        case fetch
        /// The site's own feed, a sitemap or robots.txt (pages that help discovery) could not be fetched.
        case feed, sitemap, robots
        /// A page could not be rendered in the browser (`render` sources).
        case render
        /// The listing gave no article links.
        case discovery
        /// An article page was refused by the extractor (not an article, too little text, …).
        case extract
        /// The state database failed.
        case store
    }

    public let stage: Stage
    /// The cause within the stage, nil when the stage says it all (`store`).
    public let cause: String?

    public init(_ stage: Stage, _ cause: String? = nil) {
        self.stage = stage
        self.cause = cause.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads a name written by `name` (`fetch.timeout`); nil for an unknown stage.
    public init?(name: String) {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let first = parts.first, let stage = Stage(rawValue: first) else { return nil }
        self.init(stage, parts.count > 1 ? parts[1] : nil)
    }

    /// `stage.cause`, or `stage` alone.
    public var name: String { cause.map { "\(stage.rawValue).\($0)" } ?? stage.rawValue }
    public var description: String { name }

    public static func < (lhs: IssueKind, rhs: IssueKind) -> Bool { lhs.name < rhs.name }
}

extension IssueKind: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = IssueKind(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown issue kind '\(text)'"))
        }
        self = kind
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
