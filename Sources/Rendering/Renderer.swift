import Fetching
import Foundation
import TidingsCore

/// Renders pages built by JavaScript in one long-running headless Chromium, driven over a
/// DevTools pipe (no debugging port). Every request a page makes is answered by Tidings' own
/// fetcher, so the address guard, robots.txt, per-host limits and body caps hold for the
/// browser too. The browser starts on first use, is restarted after a crash, a hang or past
/// its memory ceiling, and stops after an idle period. Create one per process and share it.
public actor Renderer {
    public let configuration: RendererConfiguration
    private var browser: Browser?
    private var starting: Task<Browser, any Error>?
    private var slots: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var active = 0
    /// The most pages that ever rendered at once (tests check the limit with it).
    private(set) var peakActive = 0
    /// Bumped whenever a page starts, so that an idle stop scheduled before it does nothing.
    private var generation = 0
    private var isolation: [String]??
    private var sandbox: Bool?

    public init(configuration: RendererConfiguration = .init()) {
        self.configuration = configuration
        self.slots = max(1, configuration.concurrency)
    }

    /// True when Chromium is installed where the configuration says.
    public nonisolated var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: configuration.executable) }

    /// Renders one page: `request` is the page's own fetch (validators, the source's headers);
    /// its sub-requests go through `fetcher` too. A crash or hang of the browser fails this
    /// page only; the next page gets a new browser.
    public func render(_ request: FetchRequest, using fetcher: Fetcher) async throws(RenderError) -> RenderedPage {
        guard isAvailable else { throw .chromiumMissing(request.url, executable: configuration.executable) }
        await acquire()
        generation += 1
        active += 1
        peakActive = max(peakActive, active)
        defer {
            active -= 1
            release()
            afterPage()
        }
        let started = Date()
        let (current, startedBrowser) = try await runningBrowser(for: request.url)
        let session = PageSession(browser: current, fetcher: fetcher, request: request, configuration: configuration)
        do {
            let (outcome, requests, budgetExpired) = try await session.run()
            return RenderedPage(outcome: outcome, requests: requests, budgetExpired: budgetExpired,
                                duration: Date().timeIntervalSince(started), startedBrowser: startedBrowser)
        } catch {
            switch error {
            case .browserFailed, .browserHung:
                // Whatever state it is in, it is of no use to the next page.
                current.kill()
                if browser === current { browser = nil }
            default: break
            }
            throw error
        }
    }

    /// Stops the browser now (at exit, or before a new configuration).
    public func shutdown() async {
        starting?.cancel()
        if let browser { await browser.stop(timeout: 2) }
        browser = nil
    }

    /// The resident memory of the running browser's processes, nil when none runs.
    public var browserMemoryBytes: Int? { browser.map { $0.residentBytes() } }

    // MARK: - the one browser

    private func runningBrowser(for url: URL) async throws(RenderError) -> (Browser, started: Bool) {
        if let browser, browser.isAlive { return (browser, false) }
        browser = nil
        if let starting {
            do { return (try await starting.value, false) } catch { throw startError(error, url: url) }
        }
        let prefix: [String]?
        switch resolvedIsolation() {
        case .some(let found): prefix = found
        case .none: throw .isolationUnavailable(url, "`unshare --net` is refused here")
        }
        if sandbox == nil { sandbox = configuration.usesSandbox && ChromiumCommandLine.sandboxWorks() }
        let (configuration, sandbox) = (self.configuration, self.sandbox ?? false)
        let task = Task { try await Browser.start(configuration: configuration, isolation: prefix, sandbox: sandbox) }
        starting = task
        defer { starting = nil }
        do {
            let started = try await task.value
            browser = started
            return (started, true)
        } catch {
            throw startError(error, url: url)
        }
    }

    /// The `unshare` prefix, an empty one when isolation is off or unavailable but optional,
    /// nil when it is required and unavailable. Probed once.
    private func resolvedIsolation() -> [String]? {
        if case .off = configuration.isolation { return [] }
        if isolation == nil { isolation = .some(ChromiumCommandLine.isolationPrefix()) }
        let found = isolation ?? nil
        if case .required = configuration.isolation { return found }
        return found ?? []
    }

    private func startError(_ error: any Error, url: URL) -> RenderError {
        .browserFailed(url, (error as? BrowserStartFailure)?.description ?? "could not be started (\(error))")
    }

    /// Past the memory ceiling the browser is restarted once no page uses it; an idle browser
    /// is stopped after `idleStop`.
    private func afterPage() {
        guard active == 0, let current = browser else { return }
        if current.residentBytes() > configuration.memoryCeilingBytes {
            browser = nil
            Task { await current.stop(timeout: 2) }
            return
        }
        let scheduled = generation
        let idle = configuration.idleStop
        Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(idle * 1e9))
            await self?.stopIfIdle(since: scheduled)
        }
    }

    private func stopIfIdle(since scheduled: Int) async {
        guard active == 0, generation == scheduled, let current = browser else { return }
        browser = nil
        await current.stop(timeout: 2)
    }

    // MARK: - at most `concurrency` pages at once

    private func acquire() async {
        if slots > 0 { slots -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { slots += 1 } else { waiting.removeFirst().resume() }
    }
}

extension Renderer {
    /// The running browser's process id (tests kill it to play a crash).
    var browserProcessID: pid_t? { browser?.pid }
}
