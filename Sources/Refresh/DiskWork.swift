import Dispatch

/// Runs blocking disk work (SQLite commits, each an fsync with synchronous=FULL) on threads of
/// its own, so that Swift's cooperative pool — which also answers the daemon's HTTP requests —
/// never waits on a slow disk.
enum DiskWork {
    static let queue = DispatchQueue(label: "tidings.disk", qos: .utility, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
