import Foundation
import TidingsCore

/// Every source's health, kept in memory next to the store so status pages and the
/// scheduler read it without a database round trip; the store has the lasting copy.
// @unchecked Sendable: `health` is read and written only under `lock`.
final class HealthBook: @unchecked Sendable {
    private let lock = NSLock()
    private var health: [String: SourceHealth]

    init(_ health: [String: SourceHealth]) {
        self.health = health
    }

    subscript(sourceID: String) -> SourceHealth {
        get { lock.withLock { health[sourceID] ?? SourceHealth() } }
        set { lock.withLock { health[sourceID] = newValue } }
    }

    /// The last successful refresh of each of these sources.
    func lastSuccesses(of sourceIDs: [String]) -> [Timestamp?] {
        lock.withLock { sourceIDs.map { health[$0]?.lastSuccess } }
    }
}
