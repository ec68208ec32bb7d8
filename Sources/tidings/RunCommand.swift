import ArgumentParser
import Daemon
import Foundation
import Logging
import Refresh
import TidingsCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keeps the feeds fresh: refreshes every source on its schedule and serves the feeds.",
        discussion: """
            Runs until stopped. Each source is refreshed every `every` (give or take 10 %); \
            failing sources back off up to a day. The built-in server serves the output folder \
            and answers POST /refresh, GET /healthz, /status.json and /metrics. \
            Signals: SIGHUP re-reads the feeds folder and the settings file, SIGUSR1 refreshes every source now, \
            SIGTERM or SIGINT stops after running refreshes end (at most 20 seconds). \
            Under systemd (Type=notify) it reports readiness, status and watchdog pings.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Serve on this address (127.0.0.1:8080, [::1]:8080) or unix socket path (default: 127.0.0.1:8080).")
    var listen: String?

    @Flag(name: .long, help: "Do not start the built-in server (another web server serves the output folder).")
    var noServe = false

    func run() async throws {
        do {
            try await runDaemon()
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
    }

    func runDaemon() async throws {
        // A daemon's log is its journal: say what it does, not only what fails.
        let logger = options.makeLogger(quiet: .info, verbose: .debug)
        let settings = try options.settings()
        let configuration = try options.refreshConfiguration()
        let refresher = try await options.makeRefresher(configuration, logger: logger)
        var server: ServerConfiguration?
        if !noServe {
            let text = listen ?? settings.listen ?? ListenAddress.default.description
            guard let address = ListenAddress(parsing: text) else {
                throw CommandFailure("--listen '\(text)' is neither HOST:PORT nor a unix socket path starting with /")
            }
            server = ServerConfiguration(listen: address, outputDirectory: configuration.outputDirectory,
                                         refreshToken: settings.refreshToken, maxConnections: settings.maxConnections,
                                         requestTimeout: settings.requestTimeout ?? ServerConfiguration.defaultRequestTimeout)
        }
        let options = self.options
        let reloadSettings: @Sendable () -> [String] = {
            do {
                let changed = refresher.reconfigure(try options.refreshConfiguration())
                return changed.map { "'\($0)' changed: restart the daemon to use the new folder" }
            } catch {
                return ["\(error); the previous settings stay in force"]
            }
        }
        var daemonConfiguration = DaemonConfiguration(
            scheduler: SchedulerConfiguration(maximumConcurrentRefreshes: configuration.sourcesAtOnce,
                                              transfers: configuration.fetcher.globalConcurrency),
            server: server, stateDirectory: configuration.stateDirectory, reloadSettings: reloadSettings)
        // One name for this node in leases, /status.json and the catalog report: stable across restarts.
        let nodeName = settings.node ?? SharingConfiguration.defaultNodeName(stateDirectory: configuration.stateDirectory)
        if let documents = refresher.feedDocuments {
            daemonConfiguration.sharing = SharingConfiguration(
                documents: documents,
                node: nodeName,
                publishFiles: settings.publishFiles.flatMap(SharingConfiguration.PublishFiles.init(rawValue:)) ?? .refreshing,
                writeFile: { name, bytes in try refresher.mirrorFile(named: name, bytes: bytes) },
                catalogDigest: { refresher.catalogDigest() })
        }
        daemonConfiguration.node = NodeConfiguration(id: nodeName, leaseDuration: settings.lease ?? NodeConfiguration.defaultLeaseDuration)
        let daemon = Daemon(service: refresher, configuration: daemonConfiguration, logger: logger)
        do {
            try await daemon.run()
        } catch let error as DaemonError {
            throw CommandFailure("\(error)")
        }
    }
}
