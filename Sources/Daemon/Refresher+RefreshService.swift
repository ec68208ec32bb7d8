import Refresh
import TidingsCore

/// The real pipeline, as the daemon sees it.
extension Refresher: RefreshService {
    public func publishFeeds(of sources: [Source]) throws {
        try publish(sources)
    }
}
