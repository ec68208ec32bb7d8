import Fetching
import Foundation
import TidingsCore

/// A rendered page: the DOM after its scripts ran, as a `Page` whose text is that DOM's
/// HTML, and what became of every request the page made.
public struct RenderedPage: Sendable {
    /// `.page` with the rendered HTML as `text`; `.notModified` when the page's own fetch said so.
    public var outcome: FetchOutcome
    public var requests: [RenderedRequest]
    /// True when the budget ran out before the network went quiet (the DOM is taken as it was).
    public var budgetExpired: Bool
    /// Seconds from the start of the render (the browser's start included) to the DOM snapshot.
    public var duration: TimeInterval
    /// True when this page had to start the browser.
    public var startedBrowser: Bool

    /// The sub-requests the fetcher refused or failed, with its error.
    public var refusals: [(url: String, error: FetchError)] {
        requests.compactMap { request in request.error.map { (request.url, $0) } }
    }
}

/// One request a rendered page made, and its fate.
public struct RenderedRequest: Sendable {
    public enum Fate: Sendable {
        /// Answered with the fetcher's response.
        case answered(status: Int)
        /// The fetcher refused it or failed (address guard, robots.txt, a hold, a network error).
        case failed(FetchError)
        /// Not asked for: a kind of request that cannot change the page's text, or one the fetcher
        /// cannot carry (a method other than GET, a WebSocket).
        case skipped(String)
    }

    public var url: String
    /// Chromium's resource type ("Document", "Script", "XHR", "Image", "WebSocket"…).
    public var resourceType: String
    public var fate: Fate

    public var error: FetchError? {
        if case .failed(let error) = fate { return error }
        return nil
    }
}
