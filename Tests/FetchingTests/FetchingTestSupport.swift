import Foundation
@testable import Fetching
import TestSupport
import TidingsCore

/// A wall clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    // @unchecked Sendable: `current` is guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_780_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// A fetcher for loopback tests: private networks allowed, no host gap, robots.txt off
/// unless a test turns it on.
func loopbackFetcher(_ adjust: (inout FetcherConfiguration) -> Void = { _ in }, clock: ManualClock? = nil) -> Fetcher {
    var configuration = FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0, obeysRobots: false)
    adjust(&configuration)
    if let clock { return Fetcher(configuration: configuration, now: { clock.now }) }
    return Fetcher(configuration: configuration)
}

/// The fetch's error, or nil when it succeeded.
func fetchError(_ fetcher: Fetcher, _ request: FetchRequest) async -> FetchError? {
    do {
        _ = try await fetcher.fetch(request)
        return nil
    } catch {
        return error
    }
}

/// The page a fetch gave; nil for `.notModified` or an error.
func fetchPage(_ fetcher: Fetcher, _ request: FetchRequest) async throws -> Page? {
    if case .page(let page) = try await fetcher.fetch(request) { return page }
    return nil
}

func fixture(_ name: String) throws -> Data {
    let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    return try Data(contentsOf: url)
}
