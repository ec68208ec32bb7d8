import Fetching
import Foundation
import Logging
import Storage
import TidingsCore

/// WebSub publisher side (W3C WebSub §7): after a publish that rewrote feeds, tells the hub
/// `hub.mode=publish` with each changed feed's URL, one POST per feed, until the hub accepts
/// (any 2xx). Pings that failed wait with a growing delay (`HubRetry`); they are kept in the
/// state folder, so a restart sends them still. A feed changed again while its ping waits
/// keeps one ping. No hub is built here: subscriber callbacks would let anyone make the
/// daemon request any URL.
// @unchecked Sendable: `pending`, `isDelivering` and `onQueued` are touched only under `lock`.
final class HubNotifier: @unchecked Sendable {
    let hub: URL
    let retry: HubRetry
    private let file: PendingPingFile
    private let logger: Logger
    private let lock = NSLock()
    private var pending: [PendingPing]
    private var isDelivering = false
    private var onQueued: (@Sendable () -> Void)?

    init(hub: URL, retry: HubRetry, stateDirectory: URL, logger: Logger) {
        self.hub = hub
        self.retry = retry
        self.file = PendingPingFile(stateDirectory: stateDirectory)
        self.logger = logger
        do {
            pending = try file.load()
        } catch {
            logger.error("pending WebSub pings not read; they are sent again on the next change", metadata: ["error": "\(error)"])
            pending = []
        }
    }

    /// The feed files among `written` (Atom, RSS, JSON Feed), as the topic URLs readers
    /// subscribed to.
    static func topics(of written: [String], baseURL: URL) -> [String] {
        let base = baseURL.absoluteString.hasSuffix("/") ? baseURL.absoluteString : baseURL.absoluteString + "/"
        let feedExtensions: Set<String> = ["atom", "rss", "json"]
        return written.filter { feedExtensions.contains(($0 as NSString).pathExtension) }.map { name in
            base + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        }
    }

    /// Queues a ping for each topic, due now; one already waiting is made due now too.
    func enqueue(_ topics: [String], now: Date) {
        guard !topics.isEmpty else { return }
        let wake = lock.withLock { () -> (@Sendable () -> Void)? in
            for topic in topics {
                pending.removeAll { $0.topic == topic }
                pending.append(PendingPing(topic: topic, due: now.timeIntervalSince1970))
            }
            save()
            return onQueued
        }
        wake?()
    }

    /// Called after every `enqueue` (the daemon wakes its delivery timer).
    func whenQueued(_ wake: @escaping @Sendable () -> Void) {
        lock.withLock { onQueued = wake }
    }

    var pendingPings: [PendingPing] { lock.withLock { pending } }

    /// Sends every ping that is due, one after the other; returns when the next waiting
    /// ping is due (nil: none waits). A call while another delivers returns at once.
    func deliverDue(now: Date, fetcher: Fetcher) async -> Date? {
        let due: [PendingPing]? = lock.withLock {
            if isDelivering { return nil }
            isDelivering = true
            return pending.filter { $0.due <= now.timeIntervalSince1970 }
        }
        guard let due else { return nextDue }
        for ping in due {
            let failure = await send(ping.topic, fetcher: fetcher)
            lock.withLock {
                guard let index = pending.firstIndex(where: { $0.topic == ping.topic && $0.due == ping.due }) else { return }
                if let failure {
                    pending[index].attempts += 1
                    pending[index].lastError = failure
                    pending[index].due = now.timeIntervalSince1970 + retry.delay(afterAttempts: pending[index].attempts)
                } else {
                    pending.remove(at: index)
                }
                save()
            }
            if let failure {
                logger.warning("WebSub hub did not take the ping; trying again later",
                               metadata: ["hub": "\(hub.absoluteString)", "topic": "\(ping.topic)", "error": "\(failure)"])
            } else {
                logger.debug("WebSub hub told", metadata: ["hub": "\(hub.absoluteString)", "topic": "\(ping.topic)"])
            }
        }
        lock.withLock { isDelivering = false }
        return nextDue
    }

    private var nextDue: Date? {
        lock.withLock { pending.map(\.due).min().map { Date(timeIntervalSince1970: $0) } }
    }

    /// nil when the hub accepted, else why not.
    private func send(_ topic: String, fetcher: Fetcher) async -> String? {
        do {
            let status = try await fetcher.postForm(hub, fields: [("hub.mode", "publish"), ("hub.url", topic)])
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            return "\(error)"
        }
    }

    /// Under `lock`.
    private func save() {
        do {
            try file.save(pending)
        } catch {
            logger.error("pending WebSub pings not saved", metadata: ["error": "\(error)"])
        }
    }
}
