import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running Chromium: its process group, its DevTools pipe and its throwaway profile.
final class Browser: @unchecked Sendable {
    // @unchecked Sendable: `exitDescription` is guarded by `lock`; everything else is set once in init.
    let pid: pid_t
    let pipe: DevToolsPipe
    let profile: String
    let startedAt = Date()
    private let lock = NSLock()
    private var exitDescription: String?
    private var reaped = false

    /// Starts Chromium and waits until it answers (`Browser.getVersion`).
    static func start(configuration: RendererConfiguration, isolation: [String]?, sandbox: Bool) async throws -> Browser {
        let profile = try makeProfile()
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw BrowserStartFailure("no socket pair for the DevTools pipe: \(String(cString: strerror(errno)))")
        }
        // The child's end must not be fd 3 or 4 itself: dup2 onto the same number would keep close-on-exec.
        let childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        Glibc.close(pair[1])
        let argv = (isolation ?? []) + [configuration.executable]
            + ChromiumCommandLine.arguments(profile: profile, jitless: configuration.jitless ?? ChromiumCommandLine.deniesWriteExecute, sandbox: sandbox)
        let pid: pid_t
        do {
            pid = try ProcessSpawner.spawn(argv, environment: ChromiumCommandLine.environment(profile: profile),
                                           channel: childEnd, log: profile + "/chromium.log")
        } catch {
            Glibc.close(childEnd)
            Glibc.close(pair[0])
            try? FileManager.default.removeItem(atPath: profile)
            throw BrowserStartFailure("could not be started (\(String(cString: strerror(error.errno))))")
        }
        Glibc.close(childEnd)
        let browser = Browser(pid: pid, socket: pair[0], profile: profile)
        do {
            _ = try await browser.pipe.call("Browser.getVersion", timeout: configuration.startTimeout)
        } catch {
            browser.kill()
            throw BrowserStartFailure("did not start: \(browser.failureDescription(error))")
        }
        return browser
    }

    private init(pid: pid_t, socket: Int32, profile: String) {
        self.pid = pid
        self.profile = profile
        let box = WeakBox()
        self.pipe = DevToolsPipe(socket: socket) { box.browser?.reap(blocking: false) }
        box.browser = self
    }

    var isAlive: Bool { !pipe.closed }

    /// Kills the whole process group; the browser is reaped (and its profile removed) on a
    /// thread of its own, so that no task waits for the kernel to tear the processes down.
    func kill() {
        Glibc.kill(-pid, SIGKILL)
        pipe.hangUp()
        Thread { [self] in reap() }.start()
    }

    /// Asks the browser to close, then kills what is left.
    func stop(timeout: TimeInterval) async {
        _ = try? await pipe.call("Browser.close", timeout: timeout)
        kill()
    }

    /// What ended the browser ("was killed by signal 9", "exited with status 1"), with the last
    /// lines of its log; for a failure that is not an exit, the failure itself.
    func failureDescription(_ error: any Error) -> String {
        if case DevToolsFailure.timedOut(let method) = error { return "did not answer \(method)" }
        // The pipe closes a moment before the process is gone: give it that moment.
        for _ in 0..<20 where lock.withLock({ exitDescription }) == nil {
            reap(blocking: false)
            usleep(10_000)
        }
        var text = lock.withLock { exitDescription } ?? "closed its DevTools pipe"
        if let tail = logTail() { text += " (log: \(tail))" }
        return text
    }

    private func reap(blocking: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return }
        reaped = true
        let signal = status & 0x7f
        exitDescription = signal != 0 ? "was killed by signal \(signal)" : "exited with status \((status >> 8) & 0xff)"
        Glibc.kill(-pid, SIGKILL)  // helpers it left behind
        try? FileManager.default.removeItem(atPath: profile)
    }

    private func logTail() -> String? {
        guard let data = FileManager.default.contents(atPath: profile + "/chromium.log") else { return nil }
        let lines = String(decoding: data.suffix(4096), as: UTF8.self).split(separator: "\n")
            .filter { !$0.contains("dbus") && !$0.contains("mdns") }
        return lines.last.map { String($0.suffix(300)) }
    }

    /// Resident bytes of the browser and every process under it (renderers, zygotes, GPU).
    func residentBytes() -> Int {
        BrowserMemory.residentBytes(ofTreeAt: pid)
    }

    private static func makeProfile() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/tidings-chromium-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BrowserStartFailure("has no profile folder (\(String(cString: strerror(errno))))")
        }
        return String(cString: made)
    }

    private final class WeakBox: @unchecked Sendable {
        // @unchecked Sendable: set once, right after the browser is made, before the pipe can close.
        weak var browser: Browser?
    }
}

struct BrowserStartFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
