import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Delivers Unix signals as Dispatch events. Each signal's default action is turned off
/// first (otherwise SIGTERM would kill the process before Dispatch sees it), and the sources
/// are kept alive here: a released DispatchSourceSignal is cancelled.
public final class SignalWatcher: @unchecked Sendable {
    // Invariant: `sources` is written only in init and `cancel()`, both called from one owner.
    private var sources: [DispatchSourceSignal] = []

    public init(queue: DispatchQueue, handlers: [Int32: @Sendable () -> Void]) {
        for (number, handler) in handlers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            // `@Sendable` keeps the closure off the main actor: see PLATFORM-NOTES.
            source.setEventHandler { @Sendable in handler() }
            source.resume()
            sources.append(source)
        }
    }

    public func cancel() {
        sources.forEach { $0.cancel() }
        sources = []
    }
}
