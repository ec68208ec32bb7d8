import Fetching
import Foundation
import TidingsCore

/// One page in a fresh browser context: every request it makes is paused by the Fetch domain
/// and answered with what Tidings' fetcher gives (or failed), until the network has been quiet
/// for a moment or the budget runs out; then the DOM is taken as HTML.
struct PageSession {
    /// Resource types that cannot change a page's text: failed without asking the network.
    static let skippedTypes: Set<String> = ["Media", "Font", "Ping", "CSPViolationReport", "Manifest", "Prefetch",
                                            "SignedExchange", "TextTrack", "EventSource"]
    /// How often the wait for a quiet network looks at the page (a wait, not a busy loop).
    static let pollInterval: TimeInterval = 0.05

    let browser: Browser
    let fetcher: Fetcher
    let request: FetchRequest
    let configuration: RendererConfiguration

    func run() async throws(RenderError) -> (outcome: FetchOutcome, requests: [RenderedRequest], budgetExpired: Bool) {
        let pipe = browser.pipe
        let timeout = configuration.commandTimeout
        let url = request.url
        var context: String?
        do {
            context = try await pipe.call("Target.createBrowserContext", ["disposeOnDetach": true], timeout: timeout)
                .result["browserContextId"] as? String
            guard let context else { throw DevToolsFailure.refused("Target.createBrowserContext", "no context id") }
            let target = try await pipe.call("Target.createTarget", ["url": "about:blank", "browserContextId": context],
                                             timeout: timeout).result["targetId"] as? String ?? ""
            let session = try await pipe.call("Target.attachToTarget", ["targetId": target, "flatten": true],
                                              timeout: timeout).result["sessionId"] as? String ?? ""
            let state = PageState(mainFrame: target)
            pipe.subscribe(session: session) { message in handle(message, state: state, session: session) }
            defer { pipe.unsubscribe(session: session) }
            _ = try await pipe.call("Fetch.enable", ["patterns": [["urlPattern": "*", "requestStage": "Request"]]],
                                    session: session, timeout: timeout)
            _ = try await pipe.call("Page.enable", session: session, timeout: timeout)
            // Only for its WebSocket events: WebSockets never reach the Fetch domain.
            _ = try await pipe.call("Network.enable", session: session, timeout: timeout)
            _ = try await pipe.call("Page.navigate", ["url": url.absoluteString], session: session, timeout: timeout)

            let deadline = Date().addingTimeInterval(configuration.budget)
            var budgetExpired = false
            while true {
                let snapshot = state.snapshot
                if snapshot.crashed { throw RenderError.pageCrashed(url) }
                if let error = snapshot.mainError { throw RenderError.fetch(error) }
                if let unchanged = snapshot.notModified { return (.notModified(unchanged), snapshot.requests, false) }
                if snapshot.loaded, snapshot.open == 0, Date().timeIntervalSince(snapshot.lastActivity) >= configuration.quietPeriod { break }
                if Date() >= deadline { budgetExpired = true; break }
                guard browser.isAlive else { throw DevToolsFailure.closed }
                try? await Task.sleep(nanoseconds: UInt64(Self.pollInterval * 1e9))
            }
            let dom = try await pipe.call("Runtime.evaluate", [
                "expression": "document.documentElement ? document.documentElement.outerHTML : ''", "returnByValue": true,
            ], session: session, timeout: timeout)
            let html = (dom.result["result"] as? [String: Any])?["value"] as? String ?? ""
            _ = try? await pipe.call("Target.disposeBrowserContext", ["browserContextId": context], timeout: timeout)
            let snapshot = state.snapshot
            guard var page = snapshot.mainPage else { throw RenderError.fetch(.other(url, "the page was never asked for")) }
            page.text = "<!DOCTYPE html>\n" + html
            return (.page(page), snapshot.requests, budgetExpired)
        } catch let error as RenderError {
            if let context { pipe.send("Target.disposeBrowserContext", ["browserContextId": context], session: nil) }
            throw error
        } catch {
            throw browserError(error)
        }
    }

    private func browserError(_ error: any Error) -> RenderError {
        if case DevToolsFailure.timedOut = error { return .browserHung(request.url, seconds: configuration.commandTimeout) }
        if case DevToolsFailure.refused(let method, let message) = error {
            return .browserFailed(request.url, "refused \(method) (\(message))")
        }
        return .browserFailed(request.url, browser.failureDescription(error))
    }

    // MARK: - events (on the pipe's reader thread: hand work to tasks, never block)

    private func handle(_ message: DevToolsMessage, state: PageState, session: String) {
        switch message.method {
        case "Fetch.requestPaused":
            guard let paused = PausedRequest(message.params) else { return }
            state.opened()
            Task { await answer(paused, state: state, session: session) }
        case "Page.loadEventFired":
            state.markLoaded()
        case "Network.webSocketCreated":
            // Never carried: the fetcher speaks HTTP only. Chromium's own attempt dies at the closed proxy.
            let url = message.params["url"] as? String ?? "?"
            state.record(RenderedRequest(url: url, resourceType: "WebSocket", fate: .skipped("WebSockets are not carried by the fetcher")))
        case "Inspector.targetCrashed":
            state.markCrashed()
        case "Page.javascriptDialogOpening":
            browser.pipe.send("Page.handleJavaScriptDialog", ["accept": false], session: session)
        default:
            break
        }
    }

    private func answer(_ paused: PausedRequest, state: PageState, session: String) async {
        let response: PausedAnswer
        var isPage = false
        if paused.isDocument(ofFrame: state.mainFrame), let main = await mainDocument(paused, state: state) {
            response = main
            isPage = true
        } else if Self.skippedTypes.contains(paused.resourceType) || paused.isFavicon {
            response = .skip("\(paused.resourceType) requests cannot change the page's text")
        } else if paused.method != "GET" {
            response = .skip("the fetcher carries GET requests only, not \(paused.method)")
        } else {
            response = await subresource(paused)
        }
        let pipe = browser.pipe
        switch response {
        case .fulfill(let status, let headers, let body):
            pipe.send("Fetch.fulfillRequest", ["requestId": paused.id, "responseCode": status,
                                               "responseHeaders": headers.map { ["name": $0.name, "value": $0.value] },
                                               "body": body.base64EncodedString()], session: session)
            if !isPage { state.record(RenderedRequest(url: paused.url, resourceType: paused.resourceType, fate: .answered(status: status))) }
        case .fail(let error):
            pipe.send("Fetch.failRequest", ["requestId": paused.id, "errorReason": Self.errorReason(error)], session: session)
            state.record(RenderedRequest(url: paused.url, resourceType: paused.resourceType, fate: .failed(error)))
        case .skip(let why):
            pipe.send("Fetch.failRequest", ["requestId": paused.id, "errorReason": "BlockedByClient"], session: session)
            state.record(RenderedRequest(url: paused.url, resourceType: paused.resourceType, fate: .skipped(why)))
        case .quiet:
            pipe.send("Fetch.failRequest", ["requestId": paused.id, "errorReason": "Aborted"], session: session)
        }
        state.closed()
    }

    /// The page itself: fetched with the caller's request (validators, the source's headers and
    /// cookies), redirects followed by the fetcher and passed to the browser as one redirect to
    /// the final URL, so that the page's relative URLs resolve against it. Nil when this is a
    /// later navigation of the main frame, answered like any sub-request.
    private func mainDocument(_ paused: PausedRequest, state: PageState) async -> PausedAnswer? {
        switch state.claimMain(url: paused.url) {
        case .later: return nil
        case .redirected(let page):
            return .fulfill(200, PausedAnswer.htmlHeaders(page), Data(page.text.utf8))
        case .first:
            do {
                switch try await fetcher.fetch(request) {
                case .notModified(let url):
                    state.finish(notModified: url)
                    return .quiet
                case .page(let page):
                    state.finish(main: page)
                    if page.url.absoluteString != paused.url {
                        return .fulfill(302, [("Location", page.url.absoluteString)], Data())
                    }
                    return .fulfill(200, PausedAnswer.htmlHeaders(page), Data(page.text.utf8))
                }
            } catch {
                state.finish(mainError: error)
                return .quiet
            }
        }
    }

    private func subresource(_ paused: PausedRequest) async -> PausedAnswer {
        guard let url = URL(string: paused.url) else { return .skip("an unreadable URL") }
        // The source's own headers and cookies go to its own host only, as the fetcher does for redirects.
        let sameHost = url.host?.lowercased() == request.url.host?.lowercased()
        var headers = sameHost ? request.headers : [:]
        if let accept = paused.header("accept") { headers["Accept"] = accept }
        let sub = FetchRequest(url: url, headers: headers, cookies: sameHost ? request.cookies : nil,
                               referer: paused.header("referer"), obeysRobots: request.obeysRobots, hostGap: request.hostGap)
        do {
            let resource = try await fetcher.fetchResource(sub)
            return .fulfill(resource.status, resource.headers, Data(resource.body))
        } catch {
            return .fail(error)
        }
    }

    /// Chromium's name for a failure, as the page's scripts would see it.
    static func errorReason(_ error: FetchError) -> String {
        switch error {
        case .dns: return "NameNotResolved"
        case .connect: return "ConnectionRefused"
        case .timeout: return "TimedOut"
        case .blockedAddress, .robotsDisallowed, .robotsUnreachable, .rateLimited, .unsupportedScheme: return "BlockedByClient"
        default: return "Failed"
        }
    }
}

/// How a paused request is answered.
enum PausedAnswer {
    case fulfill(Int, [(name: String, value: String)], Data)
    case fail(FetchError)
    case skip(String)
    /// Aborted without a record (the page's own fetch failed or was not modified: the render ends).
    case quiet

    /// The page as the fetcher decoded it, so sent as UTF-8 whatever its own charset was.
    static func htmlHeaders(_ page: Page) -> [(name: String, value: String)] {
        let type = page.contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "text/html"
        return [("Content-Type", "\(type.isEmpty ? "text/html" : type); charset=utf-8")]
    }
}

/// The fields of a `Fetch.requestPaused` event that matter here.
struct PausedRequest: Sendable {
    var id: String
    var url: String
    var method: String
    var headers: [String: String]
    var resourceType: String
    var frameID: String

    init?(_ params: [String: Any]) {
        guard let id = params["requestId"] as? String, let request = params["request"] as? [String: Any],
              let url = request["url"] as? String else { return nil }
        self.id = id
        self.url = url
        self.method = request["method"] as? String ?? "GET"
        var headers: [String: String] = [:]
        for (name, value) in request["headers"] as? [String: Any] ?? [:] { headers[name.lowercased()] = "\(value)" }
        self.headers = headers
        self.resourceType = params["resourceType"] as? String ?? "Other"
        self.frameID = params["frameId"] as? String ?? ""
    }

    func header(_ name: String) -> String? { headers[name] }

    func isDocument(ofFrame frame: String) -> Bool { resourceType == "Document" && frameID == frame }

    var isFavicon: Bool { resourceType == "Other" && URL(string: url)?.path == "/favicon.ico" }
}
