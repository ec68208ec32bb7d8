/// What one `Publisher.publish` call did to the output folder.
public struct PublishReport: Sendable, Hashable {
    /// Files replaced because their content changed (or did not exist), in the order written.
    public var written: [String]
    /// Files left alone because the new content was byte-identical to the old.
    public var unchanged: [String]
    /// Channels left out because their id cannot name a feed file; the others were written.
    public var refused: [PublishError]

    public init(written: [String] = [], unchanged: [String] = [], refused: [PublishError] = []) {
        self.written = written
        self.unchanged = unchanged
        self.refused = refused
    }

    /// Every file the publisher is responsible for, written or not.
    public var files: [String] { written + unchanged }
}
