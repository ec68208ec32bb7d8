import Foundation
import Syndication
import TidingsCore

/// The image proxy and WebSub, as the CLI and the daemon use them.
extension Refresher {
    /// `entries` with their images behind the proxy when `source` asks for it and a base URL
    /// is set (without one there is no URL to point at; `tidings check` says so).
    func proxyingImages(_ entries: [FeedEntry], of source: Source) -> [FeedEntry] {
        let configuration = self.configuration
        guard configuration.imageProxy.mode(of: source) == .proxy, let baseURL = configuration.baseURL else { return entries }
        do {
            let rewriter = ImageLinkRewriter(link: try extras.imageLink(), baseURL: baseURL)
            return rewriter.rewrite(entries, sourceID: source.id)
        } catch {
            logger.error("images left direct: no image proxy key", metadata: ["source.id": "\(source.id)", "error": "\(error)"])
            return entries
        }
    }

    /// The hub the feeds name (needs the base URL: WebSub topics are absolute feed URLs).
    var announcedHub: URL? {
        configuration.baseURL == nil ? nil : configuration.hub
    }

    /// Queues a WebSub ping for each feed file that `report` says was rewritten.
    func queueHubPings(after report: PublishReport) {
        let configuration = self.configuration
        guard let baseURL = configuration.baseURL,
              let notifier = extras.notifier(hub: configuration.hub, retry: configuration.hubRetry) else { return }
        notifier.enqueue(HubNotifier.topics(of: report.written, baseURL: baseURL), now: Date())
    }

    /// Sends the WebSub pings that are due; returns when the next waiting one is due (nil when
    /// none waits). Pings queued before a restart are found in the state folder.
    public func deliverHubPings(now: Date = Date()) async -> Date? {
        let configuration = self.configuration
        guard let notifier = extras.notifier(hub: configuration.hub, retry: configuration.hubRetry) else { return nil }
        return await notifier.deliverDue(now: now, fetcher: fetcher)
    }

    /// `wake` runs whenever a publish queues pings (the daemon's delivery timer).
    public func whenHubPingQueued(_ wake: @escaping @Sendable () -> Void) {
        extras.whenQueued(wake)
    }

    /// Feed URLs whose ping the hub has not accepted yet.
    public var pendingHubTopics: [String] {
        extras.currentNotifier?.pendingPings.map(\.topic) ?? []
    }

    /// The answer to `GET /img/<signature>/<payload>`; `source` finds a source by id (its
    /// Referer and headers are used for the image).
    public func proxiedImage(signature: String, payload: String, ifNoneMatch: String?,
                             source: (String) -> Source?, now: Date = Date()) async -> ImageAnswer {
        let configuration = self.configuration
        let link: ImageProxyLink
        do {
            link = try extras.imageLink()
        } catch {
            return .refusal(503, "the image proxy has no key: \(error)")
        }
        let proxy = ImageProxy(link: link, cache: extras.imageCache(limit: configuration.imageProxy.cacheLimit),
                               configuration: configuration.imageProxy, logger: logger)
        return await proxy.answer(signature: signature, payload: payload, ifNoneMatch: ifNoneMatch, source: source,
                                  fetcher: fetcher, now: now)
    }
}
