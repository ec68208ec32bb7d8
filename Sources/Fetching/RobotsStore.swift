import Foundation
import TidingsCore

/// Where robots.txt answers outlive the process, so that a `tidings refresh` run does not
/// ask every site again each time (RFC 9309 §2.4: a cached answer may serve for 24 hours).
public protocol RobotsStore: Sendable {
    /// The answer kept for `origin` (scheme, host and port), if any, however old.
    func answer(origin: String) async -> StoredRobotsAnswer?
    func keep(_ answer: StoredRobotsAnswer) async
}
