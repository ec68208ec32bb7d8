import ArgumentParser
import Daemon
import Fetching
import Foundation
import Logging
import Refresh
import Storage
import Rendering
import TidingsCore

/// The settings file and the network switch that every command which fetches shares
/// (`refresh`, `run`, `fetch`, `discover`, `extract`, `add`).
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The settings file (default: tidings.toml in the current folder, else /etc/tidings/tidings.toml, when present).", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Allow fetching from loopback and private network addresses (tests, intranets). Link-local addresses stay refused.")
    var allowPrivateNetworks = false

    /// Reads the settings file; a missing default file is fine, a broken one is an error
    /// that lists every problem of the file.
    func settings() throws -> Settings {
        switch Settings.load(from: config) {
        case .success(let settings): return settings
        case .failure(let problems): throw CommandFailure(problems.description)
        }
    }

    /// The fetcher's options: this flag, then the settings file, then the defaults.
    func fetcherConfiguration(_ settings: Settings) -> FetcherConfiguration {
        FetcherConfiguration(settings: settings, allowPrivateNetworks: allowPrivateNetworks)
    }
}

/// How much the command logs. Flags override `log_level` in the settings file.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The least severe messages logged: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String?

    @Flag(name: .shortAndLong, help: "Log every step, not only problems (the same as --log-level info, or debug for run).")
    var verbose = false

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError("--log-level must be one of \(Settings.logLevels.joined(separator: ", ")).")
        }
    }

    /// Bootstraps logging (once per process: each command runs once) and returns the logger.
    /// Lines go to stderr, with syslog priorities and no timestamp when stderr is the journal.
    func makeLogger(settings: Settings, quiet: Logger.Level, verbose verboseLevel: Logger.Level) -> Logger {
        let level = logLevel.flatMap { Logger.Level(rawValue: $0.lowercased()) }
            ?? (verbose ? verboseLevel : nil)
            ?? settings.logLevel.flatMap(Logger.Level.init(rawValue:))
            ?? quiet
        let format = StderrLogHandler.format()
        LoggingSystem.bootstrap { _ in StderrLogHandler(format: format, logLevel: level) }
        var logger = Logger(label: "tidings")
        logger.logLevel = level
        return logger
    }
}

/// Folders and switches shared by the commands that refresh sources. Flags override the
/// settings file, which overrides the defaults.
struct CommonOptions: ParsableArguments {
    @OptionGroup var settingsOptions: SettingsOptions

    @Option(name: .long, help: "The folder of source files, one TOML file per source (default: feeds).")
    var feeds: String?

    @Option(name: .long, help: "The folder the feeds, index.html and feeds.opml are written to (default: public).")
    var out: String?

    @Option(name: .long, help: "The folder that keeps the state database (default: state).")
    var state: String?

    @Option(name: .long, help: "The public URL the output folder is served under, for the feeds' self links.")
    var baseURL: String?

    @Option(name: .long, help: ArgumentHelp("Keep the state in PostgreSQL instead of the state folder's SQLite file (default: store in the settings file).", valueName: "postgresql://user@host/db"))
    var store: String?

    @OptionGroup var logging: LoggingOptions

    var config: String? { settingsOptions.config }

    func settings() throws -> Settings { try settingsOptions.settings() }

    func refreshConfiguration() throws -> RefreshConfiguration {
        let settings = try settings()
        var base = settings.baseURL
        if let baseURL {
            guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https" else {
                throw CommandFailure("--base-url '\(baseURL)' is not an http(s) URL")
            }
            base = url
        }
        var configuration = RefreshConfiguration(
            feedsDirectory: Self.directory(feeds ?? settings.feeds ?? "feeds"),
            outputDirectory: Self.directory(out ?? settings.output ?? "public"),
            stateDirectory: Self.directory(state ?? settings.state ?? "state"),
            baseURL: base, fetcher: settingsOptions.fetcherConfiguration(settings), sourcesAtOnce: settings.sourcesAtOnce,
            retain: settings.retain ?? RetentionPolicy.defaultRetain,
            minimumEvery: settings.minimumEvery ?? SourceParser.defaultMinimumEvery,
            renderer: RendererConfiguration(settings: settings))
        configuration.pages = SharedPageReader.reader
        configuration.imageProxy.images = settings.images ?? .direct
        configuration.hub = settings.hub
        if let mebibytes = settings.imageMaxMiB { configuration.imageProxy.maxImageBytes = mebibytes << 20 }
        if let mebibytes = settings.imageCacheMiB { configuration.imageProxy.cacheLimit = mebibytes << 20 }
        return configuration
    }

    /// The Refresher for `configuration`; a state folder that cannot be opened is a one-line failure.
    /// `--store`, then `store` in the settings file, else the SQLite file in the state folder.
    func makeRefresher(_ configuration: RefreshConfiguration, logger: Logger) async throws -> Refresher {
        let location = try store ?? settings().store
        if let location, !PostgresStore.isPostgresURL(location) {
            throw CommandFailure("--store '\(location)' is not a postgresql:// URL")
        }
        do {
            guard let location else { return try await Refresher(configuration: configuration, logger: logger) }
            return try await Refresher(configuration: configuration, store: try await PostgresStore(conninfo: location), logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// A command's logger: problems only (the command prints them itself) unless asked for more.
    func makeLogger(quiet: Logger.Level = .error, verbose: Logger.Level = .info) -> Logger {
        logging.makeLogger(settings: (try? settings()) ?? Settings(), quiet: quiet, verbose: verbose)
    }

    static func directory(_ path: String) -> URL {
        URL(fileURLWithPath: path, isDirectory: true, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

/// A failure the command reports (no usage text) before exiting with status 2; each line
/// of the description is one problem.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints each line of a failure as an `error:` line on stderr.
func printFailure(_ failure: CommandFailure) {
    for line in failure.description.split(separator: "\n", omittingEmptySubsequences: false) {
        printError("error: \(line)")
    }
}
