import Fetching
import Foundation
import TidingsCore

/// What one page session has seen so far, shared by the event handler (on the pipe's thread),
/// the tasks answering paused requests, and the wait for a quiet network.
final class PageState: @unchecked Sendable {
    // @unchecked Sendable: every mutable field is guarded by `lock`.
    struct Snapshot {
        var open: Int
        var lastActivity: Date
        var loaded: Bool
        var crashed: Bool
        var mainPage: Page?
        var mainError: FetchError?
        var notModified: URL?
        var requests: [RenderedRequest]
    }

    enum MainClaim {
        /// The first request of the page: fetch it.
        case first
        /// The browser followed the redirect it was given: answer with the page fetched already.
        case redirected(Page)
        /// A later navigation of the main frame.
        case later
    }

    let mainFrame: String
    private let lock = NSLock()
    private var state: Snapshot
    private var mainClaimed = false
    private var redirectServed = false

    init(mainFrame: String) {
        self.mainFrame = mainFrame
        state = Snapshot(open: 0, lastActivity: Date(), loaded: false, crashed: false, requests: [])
    }

    var snapshot: Snapshot { lock.withLock { state } }

    func opened() { lock.withLock { state.open += 1; state.lastActivity = Date() } }
    func closed() { lock.withLock { state.open -= 1; state.lastActivity = Date() } }
    func markLoaded() { lock.withLock { state.loaded = true; state.lastActivity = Date() } }
    func markCrashed() { lock.withLock { state.crashed = true } }
    func record(_ request: RenderedRequest) { lock.withLock { state.requests.append(request) } }

    func claimMain(url: String) -> MainClaim {
        lock.withLock {
            if !mainClaimed { mainClaimed = true; return .first }
            if !redirectServed, let page = state.mainPage, page.url.absoluteString == url {
                redirectServed = true
                return .redirected(page)
            }
            return .later
        }
    }

    func finish(main page: Page) {
        lock.withLock {
            state.mainPage = page
            if page.url.absoluteString == page.requestedURL.absoluteString { redirectServed = true }
        }
    }

    func finish(mainError: FetchError) { lock.withLock { state.mainError = mainError } }
    func finish(notModified url: URL) { lock.withLock { state.notModified = url } }
}
