/// What publishing did to the output folder.
public struct PublishReport: Sendable, Hashable {
    /// Files replaced because their content changed (or did not exist), in the order written.
    public var written: [String]
    /// Files left alone because the new content was byte-identical to the old.
    public var unchanged: [String]
    /// Feeds left as they were: on purpose (they would have lost entries), or because their
    /// source id cannot name a feed file (the others were written), each with the reason.
    public var refused: [PublishError]

    public init(written: [String] = [], unchanged: [String] = [], refused: [PublishError] = []) {
        self.written = written
        self.unchanged = unchanged
        self.refused = refused
    }

    /// Every file the publisher looked at, written or not.
    public var files: [String] { written + unchanged }

    public mutating func add(_ other: PublishReport) {
        written += other.written
        unchanged += other.unchanged
        refused += other.refused
    }
}
