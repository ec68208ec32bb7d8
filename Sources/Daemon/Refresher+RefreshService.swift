import Refresh
import Storage
import TidingsCore

/// The real pipeline, as the daemon sees it.
extension Refresher: RefreshService {
    public func publishFeeds(of sources: [Source], catalogChanged: Bool) async throws -> [String] {
        try await publish(sources, catalogChanged: catalogChanged)
        return await publishingProblems
    }

    public func maintain(_ sources: [Source]) async throws {
        try await applyRetention(to: sources)
    }

    public var sharedWork: (any SharedWork)? { store as? any SharedWork }
}
