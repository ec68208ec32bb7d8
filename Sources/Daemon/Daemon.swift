import Dispatch
import Foundation
import Logging
import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// `tidings run`: schedules every source, serves the feeds, answers signals and tells
/// systemd how it is doing, until SIGTERM or SIGINT.
public final class Daemon: @unchecked Sendable {
    // Invariant: `signals`, `watchdogTimer` and `stopContinuation` are touched only on
    // `control`; the rest is immutable after init.
    private let control = DispatchQueue(label: "tidings.daemon.control")
    private let service: any RefreshService
    private let configuration: DaemonConfiguration
    private let logger: Logger
    private let notifier: SystemdNotifier
    public let driver: SchedulerDriver
    private var signals: SignalWatcher?
    private var watchdogTimer: DispatchSourceTimer?
    private var stopContinuation: CheckedContinuation<Void, Never>?
    private var isStopRequested = false

    public init(service: any RefreshService, configuration: DaemonConfiguration, logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier()) {
        self.service = service
        self.configuration = configuration
        self.logger = logger
        self.notifier = notifier
        self.driver = SchedulerDriver(service: service, configuration: configuration.scheduler, logger: logger,
                                      heartbeatInterval: configuration.heartbeatInterval, node: configuration.node,
                                      onStatusChange: { status in notifier.status(status.summaryLine) })
    }

    /// Runs until SIGTERM/SIGINT or `requestStop()`; returns once refreshes have finished or
    /// been cancelled (within `stopGracePeriod` plus a short unwinding allowance).
    public func run() async throws {
        // Two daemons on one state folder would fetch everything twice and fight over the files.
        if let other = DaemonEndpoint.locate(stateDirectory: configuration.stateDirectory), other.pid != getpid() {
            throw DaemonError.alreadyRunning(pid: other.pid, stateDirectory: configuration.stateDirectory.path)
        }
        installSignalHandlers()
        let descriptorLimit = DescriptorBudget.raiseSoftLimit()
        var server: FeedServer?
        let token = try configuration.server.map { try RefreshToken.resolve(configured: $0.refreshToken) }
        let sharing = configuration.sharing.map { SharedFeeds(configuration: $0, logger: logger) }
        await sharing?.start()
        if let serverConfiguration = configuration.server, let token {
            let feedServer = FeedServer(configuration: serverConfiguration, driver: driver, token: token, logger: logger,
                                        images: service as? ImageProxying, sharing: sharing)
            let bound = try await feedServer.start()
            server = feedServer
            try writeEndpoint(url: bound.url, unixSocket: bound.unixSocket, token: token)
            logger.info("serving feeds", metadata: ["listen": "\(bound.description)",
                                                   "folder": "\(serverConfiguration.outputDirectory.path)",
                                                   "connections.max": "\(feedServer.budget.servedConnections)",
                                                   "descriptors.limit": "\(descriptorLimit)"])
            if descriptorLimit < DescriptorBudget.minimumReserve * 2 {
                logger.warning("the descriptor limit is low: few connections can be served (raise LimitNOFILE or ulimit -n)",
                               metadata: ["descriptors.limit": "\(descriptorLimit)",
                                          "connections.max": "\(feedServer.budget.servedConnections)"])
            }
        } else {
            try writeEndpoint(url: nil, unixSocket: nil, token: nil)
        }
        driver.start()
        let hubPings = (service as? HubPinging).map(HubPingDriver.init)
        hubPings?.start()
        startWatchdog()
        notifier.ready(status: driver.status.summaryLine)

        await withCheckedContinuation { continuation in
            control.async { [self] in
                if isStopRequested { continuation.resume() } else { stopContinuation = continuation }
            }
        }

        logger.info("stopping")
        notifier.stopping()
        control.sync {
            watchdogTimer?.cancel()
            watchdogTimer = nil
        }
        await driver.stop(gracePeriod: configuration.stopGracePeriod)
        hubPings?.stop()
        if let server { await server.stop() }
        await sharing?.stop()
        DaemonEndpoint.remove(stateDirectory: configuration.stateDirectory)
        control.sync { signals?.cancel() }
        logger.info("stopped")
    }

    /// The same as SIGTERM.
    public func requestStop() {
        control.async { [self] in
            isStopRequested = true
            stopContinuation?.resume()
            stopContinuation = nil
        }
    }

    /// SIGHUP: RELOADING=1, re-read the settings and feeds/, READY=1 again.
    public func reload() {
        notifier.reloading()
        for problem in configuration.reloadSettings?() ?? [] {
            logger.error("settings not applied", metadata: ["problem": "\(problem)"])
        }
        let (summary, errors) = driver.reload()
        for error in errors { logger.error("feeds file rejected", metadata: ["error": "\(error)"]) }
        logger.info("reload done", metadata: ["added": "\(summary.added.count)", "removed": "\(summary.removed.count)",
                                              "changed": "\(summary.changed.count)"])
        notifier.ready(status: driver.status.summaryLine)
    }

    private func installSignalHandlers() {
        control.sync {
            signals = SignalWatcher(queue: control, handlers: [
                SIGTERM: { @Sendable [weak self] in self?.requestStop() },
                SIGINT: { @Sendable [weak self] in self?.requestStop() },
                SIGHUP: { @Sendable [weak self] in
                    guard let self else { return }
                    DispatchQueue.global().async { @Sendable in self.reload() }
                },
                SIGUSR1: { @Sendable [weak self] in
                    self?.logger.info("refreshing every source now (SIGUSR1)")
                    self?.driver.requestRefreshOfAll()
                },
            ])
        }
    }

    /// WATCHDOG=1 at half of WATCHDOG_USEC, sent from the scheduler's own queue and only
    /// while its heartbeat is fresh: a wedged scheduler stops the pings and systemd restarts us.
    private func startWatchdog() {
        guard let interval = notifier.watchdogPingInterval, notifier.isEnabled else { return }
        control.sync {
            let timer = DispatchSource.makeTimerSource(queue: control)
            timer.schedule(deadline: .now(), repeating: interval, leeway: .milliseconds(100))
            let driver = self.driver
            let notifier = self.notifier
            timer.setEventHandler { @Sendable in
                driver.onSchedulerQueue {
                    if driver.isAlive { notifier.watchdog() }
                }
            }
            timer.resume()
            watchdogTimer = timer
        }
    }

    private func writeEndpoint(url: String?, unixSocket: String?, token: String?) throws {
        let endpoint = DaemonEndpoint(pid: getpid(), url: url, unixSocket: unixSocket, refreshToken: token,
                                      startedAt: Timestamp.now().rfc3339, version: TidingsVersion.current)
        try endpoint.write(stateDirectory: configuration.stateDirectory)
    }
}
