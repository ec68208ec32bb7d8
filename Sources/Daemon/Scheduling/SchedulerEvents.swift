import Foundation

/// How a refresh ended, as far as scheduling cares.
public enum RefreshResult: Sendable, Hashable {
    case success
    /// The source could not be read; `retryAfter` is the wait the site asked for, if any.
    case failure(retryAfter: TimeInterval?)
}

/// The answer to "refresh this source now".
public enum RefreshRequestOutcome: Sendable, Hashable {
    /// The source is due now and starts as soon as a refresh slot is free.
    case scheduled
    /// A refresh of the source is running; another starts right after it.
    case queuedAfterCurrentRun
    /// No source has that id.
    case unknownSource
    /// The scheduler is stopping and takes no more work.
    case stopping
}

/// What a reload of `feeds/` changed.
public struct ReloadSummary: Sendable, Hashable {
    public var added: [String] = []
    public var removed: [String] = []
    public var changed: [String] = []
    public var unchanged: Int = 0

    public init(added: [String] = [], removed: [String] = [], changed: [String] = [], unchanged: Int = 0) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.unchanged = unchanged
    }
}

/// A snapshot of one source's schedule, for status pages.
public struct ScheduledSourceState: Sendable, Hashable {
    public var sourceID: String
    /// When the next run is due, on the scheduler's clock.
    public var nextDue: Double
    public var consecutiveFailures: Int
    public var isRunning: Bool
}
