import ArgumentParser
import Fetching
import Foundation
import Logging
import Refresh

/// Folders and switches shared by the commands that refresh sources.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of source files (one TOML file per source).")
    var feeds: String = "feeds"

    @Option(name: .long, help: "The folder the feeds, index.html and feeds.opml are written to.")
    var out: String = "public"

    @Option(name: .long, help: "The folder that keeps the state database.")
    var state: String = "state"

    @Option(name: .long, help: "The public URL the output folder is served under, for the feeds' self links.")
    var baseURL: String?

    @Flag(name: .long, help: "Allow fetching from loopback and private network addresses (tests, intranets). Link-local addresses stay refused.")
    var allowPrivateNetworks = false

    @Flag(name: .shortAndLong, help: "Log every step, not only problems.")
    var verbose = false

    func refreshConfiguration() -> RefreshConfiguration {
        RefreshConfiguration(
            feedsDirectory: Self.directory(feeds), outputDirectory: Self.directory(out), stateDirectory: Self.directory(state),
            baseURL: baseURL.flatMap(URL.init(string:)),
            fetcher: FetcherConfiguration(allowPrivateNetworks: allowPrivateNetworks))
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
