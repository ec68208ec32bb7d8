import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One worker: a `tidings worker` child process and the socket it reads requests from and
/// writes answers to (its stdin and stdout). All calls but `kill` come from one request at a
/// time (the pool lends a worker to one caller); `kill` may come from the time-limit timer.
// @unchecked Sendable: `exchange` runs for one caller at a time (the pool's lending); the
// only state touched from elsewhere is `killedForTime`, under `lock`.
final class WorkerProcess: @unchecked Sendable {
    let pid: pid_t
    /// Where this worker's blocking reads and writes run, off the cooperative thread pool.
    let queue = DispatchQueue(label: "tidings.worker")
    /// The time limit of the request (or the start) in progress: one timer per worker.
    let deadline = Deadline()
    private let socket: Int32
    private let lock = NSLock()
    private var killedForTime = false
    private var reaped = false
    /// Set when the process has ended and been waited for.
    private(set) var endStatus: String?

    /// Largest answer accepted; an article is a few hundred kilobytes.
    static let maximumFrame = 1 << 30
    /// Socket buffer asked for each end: most pages and their articles fit in one write.
    static let socketBufferBytes = 4 << 20

    private init(pid: pid_t, socket: Int32) {
        self.pid = pid
        self.socket = socket
    }

    /// Starts `executable worker` with a socket as its stdin and stdout, every other
    /// descriptor closed, and `environment` added to this process's.
    static func start(executable: URL, environment: [String: String]) throws(WorkerStartError) -> WorkerProcess {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw WorkerStartError(detail: "socketpair: \(String(cString: strerror(errno)))")
        }
        let (parentEnd, childEnd) = (pair[0], pair[1])
        defer { close(childEnd) }
        // Room for a whole page in flight (the default, about 200 KiB, splits a big page into
        // several writes, each a switch to the other process); the kernel caps it at wmem_max.
        for end in [parentEnd, childEnd] {
            for option in [SO_SNDBUF, SO_RCVBUF] {
                var size = Int32(Self.socketBufferBytes)
                _ = setsockopt(end, SOL_SOCKET, option, &size, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childEnd, 0)
        posix_spawn_file_actions_adddup2(&actions, childEnd, 1)
        SpawnActions.closeFrom(3, in: &actions)
        // The daemon ignores SIGHUP/SIGTERM/SIGPIPE and may block signals; the worker starts clean.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var merged = ProcessInfo.processInfo.environment
        // A trapping worker should die at once: the backtracer takes seconds per crash.
        if merged["SWIFT_BACKTRACE"] == nil { merged["SWIFT_BACKTRACE"] = "enable=no" }
        for (key, value) in environment { merged[key] = value }
        let arguments = [executable.path, "worker"]
        let environ = merged.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environ) { envp in
                posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            close(parentEnd)
            throw WorkerStartError(detail: "could not start \(executable.path) worker: \(String(cString: strerror(status)))")
        }
        return WorkerProcess(pid: pid, socket: parentEnd)
    }

    enum Exchange {
        case answer([UInt8])
        /// The worker was gone before it had the whole request (it died while idle).
        case notDelivered
        /// The worker took the request and died (or was killed) before answering.
        case noAnswer
    }

    /// Sends one request and waits for the answer, blocking the calling thread.
    func exchange(_ frame: [UInt8]) -> Exchange {
        guard send(frame) else { return .notDelivered }
        return receiveFrame().map(Exchange.answer) ?? .noAnswer
    }

    /// Waits for the worker's greeting (blocking): true when it speaks this build's protocol.
    func awaitGreeting() -> Bool {
        guard let payload = receiveFrame() else { return false }
        var reader = WireReader(payload)
        return (try? reader.string()) == String(decoding: WorkerServer.greeting, as: UTF8.self)
    }

    private func receiveFrame() -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 4)
        guard receive(into: &header) else { return nil }
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        guard length <= Self.maximumFrame else { return nil }
        var payload = [UInt8](repeating: 0, count: length)
        guard receive(into: &payload) else { return nil }
        return payload
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                // MSG_NOSIGNAL: a dead worker gives EPIPE, never a SIGPIPE that would end this process.
                let sent = Glibc.send(socket, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    private func receive(into bytes: inout [UInt8]) -> Bool {
        let count = bytes.count
        return bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < count {
                let got = recv(socket, base + offset, count - offset, 0)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return false }
                offset += got
            }
            return true
        }
    }

    /// True when the process has ended (it is reaped then). An idle worker can die unseen
    /// (the OOM killer, an operator's kill), and a send into its socket may still succeed
    /// while a process being spawned at that moment holds a copy of the socket.
    func hasEnded() -> Bool {
        if endStatus != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid || (result < 0 && errno == ECHILD) else { return false }
        endStatus = result == pid ? Self.describe(status) : "ended"
        close(socket)
        return true
    }

    /// Kills the worker because its page ran past the time limit.
    func killForTime() {
        lock.withLock { killedForTime = true }
        Glibc.kill(pid, SIGKILL)
    }

    var wasKilledForTime: Bool { lock.withLock { killedForTime } }

    /// Waits for the ended process and says how it ended ("killed by signal 4 (SIGILL)").
    /// Called once per worker: by the caller whose request it failed, or by `stop`.
    @discardableResult
    func reap() -> String {
        if let endStatus { return endStatus }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        let text = result == pid ? Self.describe(status) : "ended"
        endStatus = text
        close(socket)
        return text
    }

    static func describe(_ status: Int32) -> String {
        if status & 0x7F == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        let signal = status & 0x7F
        return "killed by signal \(signal)" + (signalNames[signal].map { " (\($0))" } ?? "")
    }

    /// Ends an idle worker: closing its socket makes it read the end of its input and exit.
    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        DispatchQueue.global(qos: .utility).async { self.reap() }
    }

    static let signalNames: [Int32: String] = [
        SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
        SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU",
    ]
}

struct WorkerStartError: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+) is declared only under
/// _GNU_SOURCE, which Swift's Glibc module does not set: looked up at run time.
enum SpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let closeFromFunction: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    static func closeFrom(_ descriptor: Int32, in actions: inout posix_spawn_file_actions_t) {
        // Without it, descriptors opened with close-on-exec still close; others would leak.
        _ = closeFromFunction.map { $0(&actions, descriptor) }
    }
}

/// NUL-terminated C strings for argv/envp, valid for the duration of `body`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
