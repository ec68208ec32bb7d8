import ArgumentParser
import Fetching
import Foundation
import Logging
import Refresh
import TidingsCore

/// Folders and switches shared by the commands that refresh sources. Flags override the
/// settings file, which overrides the defaults.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The settings file (default: tidings.toml in the current folder, when present).")
    var config: String?

    @Option(name: .long, help: "The folder of source files, one TOML file per source (default: feeds).")
    var feeds: String?

    @Option(name: .long, help: "The folder the feeds, index.html and feeds.opml are written to (default: public).")
    var out: String?

    @Option(name: .long, help: "The folder that keeps the state database (default: state).")
    var state: String?

    @Option(name: .long, help: "The public URL the output folder is served under, for the feeds' self links.")
    var baseURL: String?

    @Flag(name: .long, help: "Allow fetching from loopback and private network addresses (tests, intranets). Link-local addresses stay refused.")
    var allowPrivateNetworks = false

    @Flag(name: .shortAndLong, help: "Log every step, not only problems.")
    var verbose = false

    /// Reads the settings file; a missing default file is fine, a broken one is an error.
    func settings() throws -> Settings {
        switch Settings.load(from: config) {
        case .success(let settings): return settings
        case .failure(let error): throw CommandFailure("\(error)")
        }
    }

    func refreshConfiguration() throws -> RefreshConfiguration {
        let settings = try settings()
        let fetcher = FetcherConfiguration(settings: settings, allowPrivateNetworks: allowPrivateNetworks)
        var base = settings.baseURL
        if let baseURL {
            guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https" else {
                throw CommandFailure("--base-url '\(baseURL)' is not an http(s) URL")
            }
            base = url
        }
        return RefreshConfiguration(
            feedsDirectory: Self.directory(feeds ?? settings.feeds ?? "feeds"),
            outputDirectory: Self.directory(out ?? settings.output ?? "public"),
            stateDirectory: Self.directory(state ?? settings.state ?? "state"),
            baseURL: base, fetcher: fetcher, sourcesAtOnce: settings.sourcesAtOnce,
            retain: settings.retain ?? RetentionPolicy.defaultRetain)
    }

    /// The Refresher for `configuration`; a state folder that cannot be opened is a one-line failure.
    func makeRefresher(_ configuration: RefreshConfiguration, logger: Logger) async throws -> Refresher {
        do {
            return try await Refresher(configuration: configuration, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Bootstraps logging (once per process: each command runs once) and returns the logger.
    func makeLogger() -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "tidings")
        // Problems are printed by the command itself; the log adds detail only when asked.
        logger.logLevel = verbose ? .info : .error
        return logger
    }

    static func directory(_ path: String) -> URL {
        URL(fileURLWithPath: path, isDirectory: true, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

/// A failure the command reports in one line (no usage text) before exiting with status 2.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
