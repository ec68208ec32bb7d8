import Foundation
import Refresh
import TidingsCore

/// The image proxy behind `GET /img/…`. `Refresher` conforms; without one the route is 404.
public protocol ImageProxying: Sendable {
    func proxiedImage(signature: String, payload: String, ifNoneMatch: String?,
                      source: (String) -> Source?, now: Date) async -> ImageAnswer
}

/// WebSub pings the daemon delivers in the background. `Refresher` conforms.
public protocol HubPinging: Sendable {
    /// Sends what is due; returns when the next waiting ping is due (nil: none waits).
    func deliverHubPings(now: Date) async -> Date?
    /// `wake` runs whenever a publish queues pings.
    func whenHubPingQueued(_ wake: @escaping @Sendable () -> Void)
}

extension Refresher: ImageProxying, HubPinging {}
