import Foundation
import TidingsCore

/// Options of the renderer: which Chromium, how many pages at once, and the limits that keep
/// a browser from taking the daemon down. One value per process.
public struct RendererConfiguration: Sendable, Hashable {
    /// Debian's binary itself, not the `/usr/bin/chromium` wrapper script (which reads
    /// `/etc/chromium.d` and may add flags of its own).
    public static let defaultExecutable = "/usr/lib/chromium/chromium"

    /// Whether Chromium runs in a network namespace of its own (nothing but a down loopback).
    public enum NetworkIsolation: Sendable, Hashable {
        /// When `unshare --net` works here (root, or unprivileged user namespaces); else the
        /// command-line backstop alone.
        case automatic
        /// Refuse to render without it (tests).
        case required
        case off
    }

    public var executable: String
    /// Pages rendered at once (`render_concurrency`).
    public var concurrency: Int
    /// Seconds a page may take, from navigation to the snapshot of its DOM (`render_budget`).
    public var budget: TimeInterval
    /// A page is done once no request of it has been open for this long after its load event.
    /// Half a second is the quiet window Puppeteer's `networkidle0` waits for.
    public var quietPeriod: TimeInterval
    /// Memory of the browser and its child processes (proportional set size) above which the
    /// browser is restarted between pages (`render_memory_limit`, in MiB in the settings).
    public var memoryCeilingBytes: Int
    /// Seconds without a page after which the browser is stopped (the next page starts it again).
    public var idleStop: TimeInterval
    /// Seconds Chromium has to answer one DevTools command before it counts as hung.
    public var commandTimeout: TimeInterval
    /// Seconds Chromium has to start and answer its first command. A cold start reads some
    /// 300 MB of binary and resources: about 2 s on an idle 2-core machine, past 15 s on one
    /// busy with compilers.
    public var startTimeout: TimeInterval
    public var isolation: NetworkIsolation
    /// Chromium's own sandbox. It cannot run as root; off there whatever this says.
    public var usesSandbox: Bool
    /// V8 without its JIT (`--js-flags=--jitless`); nil: when this process may not map memory
    /// writable and executable (systemd's MemoryDenyWriteExecute=yes), where the JIT hangs.
    public var jitless: Bool?

    public init(executable: String = RendererConfiguration.defaultExecutable, concurrency: Int = 2,
                budget: TimeInterval = 10, quietPeriod: TimeInterval = 0.5, memoryCeilingBytes: Int = 1024 << 20,
                idleStop: TimeInterval = 300, commandTimeout: TimeInterval = 15, startTimeout: TimeInterval = 60,
                isolation: NetworkIsolation = .automatic, usesSandbox: Bool = true, jitless: Bool? = nil) {
        self.jitless = jitless
        self.executable = executable
        self.concurrency = concurrency
        self.budget = budget
        self.quietPeriod = quietPeriod
        self.memoryCeilingBytes = memoryCeilingBytes
        self.idleStop = idleStop
        self.commandTimeout = commandTimeout
        self.startTimeout = startTimeout
        self.isolation = isolation
        self.usesSandbox = usesSandbox
    }

    /// The defaults, with what the settings file (`tidings.toml`) says over them.
    public init(settings: Settings) {
        self.init()
        if let concurrency = settings.renderConcurrency { self.concurrency = concurrency }
        if let budget = settings.renderBudget { self.budget = budget }
        if let mebibytes = settings.renderMemoryLimit { memoryCeilingBytes = mebibytes << 20 }
    }
}
