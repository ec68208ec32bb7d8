import Foundation

/// How long the bodies of entries that left every feed are kept. An entry ranked past its
/// source's `keep` plus a margin, and first seen longer ago than `retain`, loses its article
/// body; its id and URLs stay, so the article is never fetched again as new and keeps its id
/// if a listing shows it once more.
public struct RetentionPolicy: Sendable, Hashable {
    /// 30 days: long past the life of a news story in a reader, short enough that a busy
    /// source's bodies do not pile up.
    public static let defaultRetain: TimeInterval = 30 * 24 * 3600

    public var retain: TimeInterval

    public init(retain: TimeInterval = RetentionPolicy.defaultRetain) {
        self.retain = max(0, retain)
    }

    /// Entries kept whole past `keep`: as many again, so raising `keep` up to twice its
    /// value brings back full entries, not empty ones.
    @Sendable public static func margin(keep: Int) -> Int { max(0, keep) }
}
