import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The command line and environment Chromium is started with. The flags are the backstop
/// behind the Fetch domain: should a request ever slip past it, Chromium has no network of its own.
enum ChromiumCommandLine {
    /// A port nothing listens on (TCP 9, "discard", is never served here): every proxied
    /// connection fails at once.
    static let closedProxy = "http://127.0.0.1:9"

    static func arguments(profile: String, jitless: Bool, sandbox: Bool) -> [String] {
        var flags = [
            "--headless",
            "--remote-debugging-pipe",
            "--user-data-dir=\(profile)",
            // No network of its own. `--proxy-server` alone still lets loopback through, hence the
            // bypass list that takes loopback out of the bypass; host names resolve to nothing.
            "--proxy-server=\(closedProxy)",
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--disable-background-networking",
            "--disable-component-update",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--disable-quic",
            // Quiet and light: no first-run work, no GPU process, no extensions, no audio.
            "--no-first-run", "--no-default-browser-check", "--disable-sync", "--disable-extensions",
            "--disable-default-apps", "--disable-gpu", "--mute-audio", "--hide-scrollbars",
            "--disable-breakpad", "--disable-crash-reporter", "--metrics-recording-only",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,DialMediaRouteProvider",
            "--password-store=basic", "--use-mock-keychain",
        ]
        // V8's JIT writes code to memory it then executes, which MemoryDenyWriteExecute=yes
        // (systemd) forbids: measured, the page hangs. The interpreter alone still runs every script.
        if jitless { flags.append("--js-flags=--jitless") }
        // Without its sandbox Chromium needs no zygote, and must not have one under systemd: the
        // zygote drops capabilities with capset(2), which the unit's `~@privileged` filter refuses,
        // and Chromium aborts (measured under scripts/systemd-smoke: "killed by signal 6"). With
        // --no-zygote each child process is forked and exec'd by the browser instead.
        if !sandbox { flags += ["--no-sandbox", "--no-zygote"] }
        flags.append("about:blank")
        return flags
    }

    /// A small environment: no Google API keys (Chromium then skips the services that need
    /// them), no session bus, and a home inside the throwaway profile.
    static func environment(profile: String) -> [String] {
        var env = [
            "HOME=\(profile)", "XDG_CONFIG_HOME=\(profile)", "XDG_CACHE_HOME=\(profile)",
            "GOOGLE_API_KEY=no", "GOOGLE_DEFAULT_CLIENT_ID=no", "GOOGLE_DEFAULT_CLIENT_SECRET=no",
            "DBUS_SESSION_BUS_ADDRESS=disabled:", "LANG=C.UTF-8",
        ]
        for name in ["PATH", "TZ"] {
            if let value = ProcessInfo.processInfo.environment[name] { env.append("\(name)=\(value)") }
        }
        if !env.contains(where: { $0.hasPrefix("PATH=") }) { env.append("PATH=/usr/bin:/bin") }
        return env
    }

    /// True when this process may not map memory writable and executable at once
    /// (systemd's MemoryDenyWriteExecute=yes): then V8 must run without its JIT.
    static var deniesWriteExecute: Bool {
        let page = mmap(nil, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let page, page != MAP_FAILED else { return true }
        munmap(page, 4096)
        return false
    }

    /// The `unshare` invocation that gives Chromium a network namespace of its own, or nil
    /// when this process cannot make one.
    static func isolationPrefix() -> [String]? {
        let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let unshare else { return nil }
        let prefix = geteuid() == 0 ? [unshare, "--net", "--"] : [unshare, "--user", "--map-current-user", "--net", "--"]
        return isolationWorks(prefix) ? prefix : nil
    }

    /// Chromium's sandbox needs user namespaces (Debian ships no setuid helper) and refuses
    /// root: under systemd's RestrictNamespaces=yes it cannot start, and Chromium then runs
    /// without it, confined by the unit instead (systemd/README.md).
    static func sandboxWorks() -> Bool {
        guard geteuid() != 0 else { return false }
        let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let unshare else { return false }
        return isolationWorks([unshare, "--user", "--map-current-user", "--"])
    }

    private static func isolationWorks(_ prefix: [String]) -> Bool {
        let truePath = ["/usr/bin/true", "/bin/true"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/bin/true"
        guard let pid = try? ProcessSpawner.spawn(prefix + [truePath], environment: ["PATH=/usr/bin:/bin"], channel: nil, log: nil) else {
            return false
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status == 0
    }
}
