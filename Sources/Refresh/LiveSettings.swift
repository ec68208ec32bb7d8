import Fetching
import Foundation

/// The settings a running Refresher uses, swapped whole on reload.
// @unchecked Sendable: `value` is read and replaced only under `lock`.
final class LiveSettings: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (configuration: RefreshConfiguration, fetcher: Fetcher)

    init(configuration: RefreshConfiguration, fetcher: Fetcher) {
        value = (configuration, fetcher)
    }

    var current: (configuration: RefreshConfiguration, fetcher: Fetcher) { lock.withLock { value } }

    func replace(configuration: RefreshConfiguration, fetcher: Fetcher) {
        lock.withLock { value = (configuration, fetcher) }
    }
}
