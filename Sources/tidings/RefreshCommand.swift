import ArgumentParser
import Foundation
import Refresh
import TidingsCore

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refreshes sources once and writes the feeds.",
        discussion: """
            Fetches each source's page, finds its article links, fetches and extracts the \
            articles not stored yet, stores them and rewrites the feeds. Without SOURCE names \
            every source of the feeds folder is refreshed. Exit status: 0 when everything \
            worked, 1 when some pages or sources failed, 2 when every source failed.
            """)

    @OptionGroup var options: CommonOptions

    @Argument(help: "Names of the sources to refresh (file names in the feeds folder, without .toml).")
    var sources: [String] = []

    func run() async throws {
        do {
            try await refresh()
        } catch let failure as CommandFailure {
            printError("error: \(failure)")
            throw ExitCode(2)
        }
    }

    func refresh() async throws {
        let logger = options.makeLogger()
        let configuration = try options.refreshConfiguration()
        let refresher: Refresher
        do {
            refresher = try Refresher(configuration: configuration, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        let catalog = refresher.loadCatalog()
        for error in catalog.errors { printError("error: \(configuration.feedsDirectory.path)/\(error)") }
        let chosen = try choose(from: catalog)
        var progress = ProgressPrinter(total: chosen.count)
        var reports: [RefreshReport] = []
        for source in chosen {
            progress.starting(source.id)
            let report = await refresher.refresh(source)
            progress.finished(report)
            reports.append(report)
        }
        do {
            try refresher.publish(catalog.sources)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let summary = RunSummary(reports: reports, catalogErrors: catalog.errors.count)
        print(summary.line(outputDirectory: configuration.outputDirectory))
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
