import Foundation
import Logging
import Storage
import TidingsCore

/// What the image proxy and WebSub keep between publishes: the signing key and the image
/// cache (state folder), and the notifier with its pending pings. Each is made when first
/// needed, so a setup that uses neither creates no files for them.
// @unchecked Sendable: the three optionals are read and set only under `lock`.
final class PublicationExtras: @unchecked Sendable {
    private let stateDirectory: URL
    private let logger: Logger
    private let lock = NSLock()
    private var link: ImageProxyLink?
    private var cache: ImageCache?
    private var notifier: HubNotifier?
    private var wake: (@Sendable () -> Void)?

    init(stateDirectory: URL, logger: Logger) {
        self.stateDirectory = stateDirectory
        self.logger = logger
    }

    func imageLink() throws(StorageError) -> ImageProxyLink {
        if let link = lock.withLock({ link }) { return link }
        let key = try ProxyKeyFile.loadOrCreate(stateDirectory: stateDirectory)
        return lock.withLock {
            if link == nil { link = ImageProxyLink(key: key) }
            return link!
        }
    }

    func imageCache(limit: Int) -> ImageCache {
        lock.withLock {
            if let cache, cache.limit == limit { return cache }
            let made = ImageCache(stateDirectory: stateDirectory, limit: limit)
            cache = made
            return made
        }
    }

    /// The notifier for `hub` (a new one when the hub changed on reload); nil without a hub.
    func notifier(hub: URL?, retry: HubRetry) -> HubNotifier? {
        guard let hub else { return nil }
        return lock.withLock {
            if let notifier, notifier.hub == hub, notifier.retry == retry { return notifier }
            let made = HubNotifier(hub: hub, retry: retry, stateDirectory: stateDirectory, logger: logger)
            if let wake { made.whenQueued(wake) }
            notifier = made
            return made
        }
    }

    /// `wake` runs after every enqueue, on this notifier and on any made later.
    func whenQueued(_ wake: @escaping @Sendable () -> Void) {
        let current = lock.withLock { () -> HubNotifier? in
            self.wake = wake
            return notifier
        }
        current?.whenQueued(wake)
    }

    /// The notifier made so far, whatever its hub.
    var currentNotifier: HubNotifier? { lock.withLock { notifier } }
}
