import Foundation

/// How `WorkerPageReader` runs its workers.
public struct WorkerConfiguration: Sendable {
    /// The `tidings` executable; it is started as `tidings worker`.
    public var executable: URL
    /// Workers at most, each reading one page at a time.
    public var workers: Int
    /// A page still being read after this long fails as "timed out" and its worker is
    /// killed. Pages take milliseconds; the slowest pathological pages seen took under a
    /// minute before discovery was made linear.
    public var timeLimit: TimeInterval
    /// An idle worker ends after this long, so an idle daemon holds no worker memory.
    public var idleTimeout: TimeInterval
    /// Added to the workers' environment (the tests' hooks, see `WorkerTestHooks`).
    public var environment: [String: String]

    public static let defaultTimeLimit: TimeInterval = 60
    public static let defaultIdleTimeout: TimeInterval = 60

    public init(executable: URL, workers: Int = max(2, ProcessInfo.processInfo.activeProcessorCount),
                timeLimit: TimeInterval = defaultTimeLimit, idleTimeout: TimeInterval = defaultIdleTimeout,
                environment: [String: String] = [:]) {
        self.executable = executable
        self.workers = max(1, workers)
        self.timeLimit = timeLimit
        self.idleTimeout = idleTimeout
        self.environment = environment
    }

    /// This process's own executable (`/proc/self/exe`), resolved now: after a package
    /// upgrade replaces the file, new workers start from the path, not from the deleted file.
    public static var currentExecutable: URL? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return URL(fileURLWithPath: String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
