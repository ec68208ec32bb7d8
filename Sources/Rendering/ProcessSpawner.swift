import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with posix_spawn: its own process group (so the browser and every child
/// it forks can be killed at once), default signal handling, stdin from /dev/null, stdout and
/// stderr to a log file, and the DevTools channel as file descriptors 3 and 4.
enum ProcessSpawner {
    struct SpawnFailure: Error { var errno: Int32 }

    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module
    /// does not import; looked up once.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// `channel` is the child's end of the DevTools socket: it becomes both fd 3 (Chromium
    /// reads commands there) and fd 4 (it writes answers there).
    static func spawn(_ argv: [String], environment: [String], channel: Int32?, log: String?) throws(SpawnFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let channel {
            posix_spawn_file_actions_adddup2(&actions, channel, 3)
            posix_spawn_file_actions_adddup2(&actions, channel, 4)
        }
        // Descriptors this process opened without close-on-exec (sockets of other libraries)
        // stay out of the browser.
        _ = closeFrom?(&actions, channel == nil ? 3 : 5)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = environment.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        guard result == 0 else { throw SpawnFailure(errno: result) }
        return pid
    }
}
