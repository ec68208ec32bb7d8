import ArgumentParser
import Daemon
import Foundation
import Refresh
import Syndication
import TidingsCore

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refreshes sources once and writes the feeds.",
        discussion: """
            Fetches each source's page, finds its article links, fetches and extracts the \
            articles not stored yet, stores them and rewrites the feeds that changed. Without \
            SOURCE names every source of the feeds folder is refreshed. Sources on different \
            hosts are refreshed at the same time (sources_at_once in tidings.toml; by default one \
            per host), with the same per-host politeness as the daemon. When a daemon (`tidings run`) uses \
            the same state folder, the daemon is asked to do the refresh and its results are \
            printed. Exit status: 0 when everything worked, 1 when some pages or sources \
            failed, 2 when every source failed.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Ask the daemon serving at this URL (e.g. http://127.0.0.1:8080) or unix socket path instead of looking in the state folder.")
    var daemon: String?

    @Option(name: .long, help: "The refresh token of that daemon (default: refresh_token of the settings file).")
    var token: String?

    @Flag(name: .long, help: "Refresh in this process even when a daemon is running.")
    var inProcess = false

    @Argument(help: "Names of the sources to refresh (file names in the feeds folder, without .toml).")
    var sources: [String] = []

    func run() async throws {
        do {
            try await refresh()
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
    }

    func refresh() async throws {
        let logger = options.makeLogger()
        let configuration = try options.refreshConfiguration()
        if let client = try daemonClient(stateDirectory: configuration.stateDirectory) {
            try await refresh(through: client, output: configuration.outputDirectory)
            return
        }
        let refresher = try await options.makeRefresher(configuration, logger: logger)
        let catalog = refresher.loadCatalog()
        for error in catalog.errors { printError("error: \(configuration.feedsDirectory.path)/\(error)") }
        // A file with a problem names no source, but every good file's feed is still written.
        let chosen = try choose(from: catalog)
        var progress = ProgressPrinter(total: chosen.count)
        let reports = await refresher.refresh(chosen, started: { progress.starting($0.id) },
                                              finished: { progress.finished($0) })
        let refused: [PublishError]
        do {
            refused = try await refresher.publish(catalog.sources).refused
            for refusal in refused { printError("error: \(refusal)") }
            try await refresher.applyRetention(to: catalog.sources)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        // Tell the WebSub hub now; what it does not take waits in the state folder for the daemon or the next run.
        _ = await refresher.deliverHubPings()
        let summary = RunSummary(reports: reports, catalogErrors: catalog.failedFiles.count, publishProblems: refused.count)
        print(summary.line(outputDirectory: configuration.outputDirectory))
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }

    /// The running daemon to ask, if any: `--daemon`, else the one the state folder names.
    func daemonClient(stateDirectory: URL) throws -> DaemonClient? {
        if inProcess { return nil }
        if let daemon {
            guard let address = DaemonAddress(parsing: daemon) else {
                throw CommandFailure("--daemon '\(daemon)' is neither an http:// URL nor a unix socket path starting with /")
            }
            let settingsToken = try options.settings().refreshToken
            return DaemonClient(address: address, token: token ?? settingsToken)
        }
        guard let endpoint = DaemonEndpoint.locate(stateDirectory: stateDirectory) else { return nil }
        guard var client = DaemonClient(endpoint: endpoint) else {
            printError("warning: the daemon (pid \(endpoint.pid)) does not serve (--no-serve); refreshing in this process")
            return nil
        }
        if let token { client.token = token }
        return client
    }

    func refresh(through client: DaemonClient, output: URL) async throws {
        print("Asking the daemon at \(client.address) to refresh \(sources.isEmpty ? "every source" : sources.joined(separator: ", "))…")
        let outcome: DaemonClient.RefreshOutcome
        do {
            outcome = try await client.refresh(sources)
        } catch {
            throw CommandFailure("\(error)")
        }
        var progress = ProgressPrinter(total: outcome.reports.count)
        for report in outcome.reports { progress.finished(report) }
        let summary = RunSummary(reports: outcome.reports, catalogErrors: 0)
        // The daemon's own output folder: the one this command would use may differ.
        let folder = outcome.outputDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? output
        print(summary.line(outputDirectory: folder))
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }

    func choose(from catalog: Catalog) throws -> [Source] {
        if sources.isEmpty {
            if catalog.sources.isEmpty { throw CommandFailure("no usable source files (*.toml) in \(refresherFeeds(catalog))") }
            return catalog.sources
        }
        return try sources.map { name in
            guard let source = catalog.source(named: name) else {
                throw CommandFailure("no source named '\(name)' (known: \(catalog.sources.map(\.id).joined(separator: ", ")))")
            }
            return source
        }
    }
}

private func refresherFeeds(_ catalog: Catalog) -> String {
    catalog.errors.isEmpty ? "the feeds folder" : "the feeds folder (\(catalog.errors.count) files have errors)"
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
