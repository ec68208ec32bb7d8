import Foundation

/// The global `tidings.toml`: folders, public URL, identity and limits. Every key is optional;
/// command-line flags override it.
public struct Settings: Sendable, Hashable {
    public var feeds: String?
    public var output: String?
    public var state: String?
    /// Where the state lives when not in `state`'s SQLite file: `postgresql://user@host/db`.
    public var store: String?
    /// This node's name among several sharing `store` (default host name and process id).
    public var node: String?
    /// How long a node's claim of a host lasts without a heartbeat (`lease = "30s"`).
    public var lease: TimeInterval?
    /// The public URL the output folder is served under (feed self links).
    public var baseURL: URL?
    public var userAgent: String?
    public var allowPrivateNetworks: Bool?
    /// Transfers at once, over all hosts.
    public var concurrency: Int?
    /// Transfers at once to one host.
    public var perHost: Int?
    /// Seconds between two requests to one host.
    public var hostGap: TimeInterval?
    public var proxy: String?
    /// A PEM file of certificate authorities to trust besides the system's (an intranet's own CA).
    public var caFile: String?
    /// Address (`127.0.0.1:8080`) or unix socket path the daemon serves on.
    public var listen: String?
    /// Bearer token that protects `POST /refresh`.
    public var refreshToken: String?
    /// Sources refreshed at once (default: one per host of the catalog, 4 to `concurrency`).
    public var sourcesAtOnce: Int?
    /// Seconds the bodies of entries out of every feed are kept (`retain = "30d"`).
    public var retain: TimeInterval?
    /// Connections the daemon's server serves at once (it never takes more than its descriptor limit allows).
    public var maxConnections: Int?
    /// Seconds a connection has to send a whole request before the server closes it.
    public var requestTimeout: TimeInterval?

    /// Least severe log level written (`trace` … `critical`); default `info` for the daemon.
    public var logLevel: String?
    /// The shortest `every` a source may ask for (default one minute).
    public var minimumEvery: TimeInterval?
    /// Pages Chromium renders at once (`render` sources).
    public var renderConcurrency: Int?
    /// Seconds one rendered page may take.
    public var renderBudget: TimeInterval?
    /// MiB of resident memory past which the browser is restarted between pages.
    public var renderMemoryLimit: Int?
    /// How image URLs reach readers, for sources that do not say (`images`, default direct).
    public var images: ImagesMode?
    /// A WebSub hub told about every changed feed (`hub`).
    public var hub: URL?
    /// With a shared store: which nodes write the feed files into their own output folder,
    /// `"refreshing"` (the node that refreshed) or `"every"` (`publish_files`).
    public var publishFiles: String?
    /// The largest image the proxy passes on, in MiB (`image_max_mib`).
    public var imageMaxMiB: Int?
    /// The disk the proxy's image cache may take, in MiB (`image_cache_mib`).
    public var imageCacheMiB: Int?

    public init() {}

    static let keys = ["feeds", "output", "state", "base_url", "user_agent", "allow_private_networks",
                       "concurrency", "per_host", "host_gap", "proxy", "ca_file", "listen", "refresh_token",
                       "max_connections", "request_timeout", "log_level", "min_every", "sources_at_once", "retain", "store", "node", "lease",
                       "render_concurrency", "render_budget", "render_memory_limit", "images", "hub",
                       "image_max_mib", "image_cache_mib", "publish_files"]
    /// The values `publish_files` accepts.
    public static let publishFilesModes = ["refreshing", "every"]
    /// The levels `log_level` and `--log-level` accept, least severe first (swift-log's names).
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Where the settings are looked for without `--config`: the current folder, then the
    /// system-wide file the Debian package installs (so `tidings status` or `tidings refresh`
    /// on a server finds the service's folders without flags).
    public static let defaultPaths = ["tidings.toml", "/etc/tidings/tidings.toml"]

    /// The settings file used without `--config`: the first of `defaultPaths` that can be read.
    public static func defaultPath() -> String? {
        defaultPaths.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Reads the settings file at `path`, or the default file (`defaultPaths`) when nil.
    /// No default file gives the defaults; a missing named file, or a broken one, is an error.
    public static func load(from path: String?) -> Result<Settings, FileProblems> {
        guard let file = path ?? defaultPath() else { return .success(Settings()) }
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(FileProblems([CatalogError(file: file, message: "settings file not found or unreadable")]))
        }
        return parse(text: String(decoding: data, as: UTF8.self), fileName: file)
    }

    /// Every problem of the file at once, each naming the key.
    public static func parse(text: String, fileName: String) -> Result<Settings, FileProblems> {
        let table: TOMLTable
        switch TOMLFile.table(text: text, fileName: fileName) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(FileProblems([error]))
        }
        var reader = TableReader(file: fileName)
        reader.checkKeys(table, known: keys, elsewhere: [("a feeds file ([fetch] of feeds/*.toml)", SourceParser.knownFetchKeys),
                                                         ("a feeds file (feeds/*.toml)", SourceParser.knownKeys)])
        var settings = Settings()
        settings.feeds = reader.string(table, "feeds")
        settings.output = reader.string(table, "output")
        settings.state = reader.string(table, "state")
        if let text = reader.string(table, "base_url") {
            if let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil {
                settings.baseURL = url
            } else {
                reader.report("base_url", "'\(text)' is not an http(s) URL")
            }
        }
        settings.userAgent = reader.headerValue(table, "user_agent")
        settings.allowPrivateNetworks = reader.bool(table, "allow_private_networks")
        settings.concurrency = reader.positiveInt(table, "concurrency")
        settings.perHost = reader.positiveInt(table, "per_host")
        if let value = table["host_gap"] {
            if let seconds = value.double ?? value.int.map(Double.init), seconds >= 0, seconds <= TableReader.maximumDuration {
                settings.hostGap = seconds
            } else {
                reader.report("host_gap", "must be a number of seconds")
            }
        }
        if let proxy = reader.string(table, "proxy") {
            if let problem = HeaderText.valueProblem(proxy) { reader.report("proxy", problem) } else { settings.proxy = proxy }
        }
        settings.maxConnections = reader.positiveInt(table, "max_connections")
        if let value = table["request_timeout"] {
            if let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds <= TableReader.maximumDuration {
                settings.requestTimeout = seconds
            } else {
                reader.report("request_timeout", "must be a positive number of seconds")
            }
        }
        settings.caFile = reader.string(table, "ca_file")
        settings.listen = reader.string(table, "listen")
        settings.refreshToken = reader.headerValue(table, "refresh_token")
        if let level = reader.string(table, "log_level") {
            if logLevels.contains(level.lowercased()) {
                settings.logLevel = level.lowercased()
            } else {
                let hint = KeySuggestion.closest(to: level, among: logLevels).map { "; did you mean '\($0)'?" } ?? ""
                reader.report("log_level", "'\(level)' is not one of \(logLevels.joined(separator: ", "))\(hint)")
            }
        }
        if let floor = reader.duration(table, "min_every", example: "1m or 10s") {
            if floor >= 1 { settings.minimumEvery = floor } else { reader.report("min_every", "must be at least 1s") }
        }
        if let store = reader.string(table, "store") {
            if store.hasPrefix("postgresql://") || store.hasPrefix("postgres://") {
                settings.store = store
            } else {
                reader.report("store", "'\(store)' is not a postgresql:// URL (leave store out for the SQLite file in the state folder)")
            }
        }
        if let mode = reader.string(table, "publish_files") {
            if Self.publishFilesModes.contains(mode.lowercased()) {
                settings.publishFiles = mode.lowercased()
            } else {
                reader.report("publish_files", "'\(mode)' is not one of \(Self.publishFilesModes.joined(separator: ", "))")
            }
        }
        if let node = reader.string(table, "node") {
            if let problem = HeaderText.valueProblem(node) ?? (node.isEmpty ? "must not be empty" : nil) {
                reader.report("node", problem)
            } else {
                settings.node = node
            }
        }
        if let lease = reader.duration(table, "lease", example: "30s or 1m") {
            if lease >= 1 { settings.lease = lease } else { reader.report("lease", "must be at least 1s") }
        }
        settings.sourcesAtOnce = reader.positiveInt(table, "sources_at_once")
        settings.retain = reader.duration(table, "retain", example: "30d or 12h")
        settings.renderConcurrency = reader.positiveInt(table, "render_concurrency")
        settings.renderBudget = reader.duration(table, "render_budget", example: "10s or 30s")
        settings.renderMemoryLimit = reader.positiveInt(table, "render_memory_limit")
        settings.images = ImagesMode.read(table, reader: &reader)
        settings.imageMaxMiB = reader.positiveInt(table, "image_max_mib")
        settings.imageCacheMiB = reader.positiveInt(table, "image_cache_mib")
        if let text = reader.string(table, "hub") {
            if let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil {
                settings.hub = url
            } else {
                reader.report("hub", "'\(text)' is not an http(s) URL")
            }
        }
        if reader.problems.isEmpty { return .success(settings) }
        return .failure(FileProblems(reader.problems))
    }
}
