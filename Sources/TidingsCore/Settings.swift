import Foundation

/// The global `tidings.toml`: folders, public URL, identity and limits. Every key is optional;
/// command-line flags override it.
public struct Settings: Sendable, Hashable {
    public var feeds: String?
    public var output: String?
    public var state: String?
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

    public init() {}

    static let keys: Set<String> = ["feeds", "output", "state", "base_url", "user_agent", "allow_private_networks",
                                    "concurrency", "per_host", "host_gap", "proxy", "ca_file", "listen", "refresh_token",
                                    "sources_at_once", "retain"]

    /// Reads the settings file at `path`, or `tidings.toml` in the current folder when nil.
    /// A missing default file gives the defaults; a missing named file, or a broken one, is an error.
    public static func load(from path: String?) -> Result<Settings, CatalogError> {
        let file = path ?? "tidings.toml"
        guard let data = FileManager.default.contents(atPath: file) else {
            return path == nil ? .success(Settings()) : .failure(CatalogError(file: file, message: "settings file not found or unreadable"))
        }
        return parse(text: String(decoding: data, as: UTF8.self), fileName: file)
    }

    public static func parse(text: String, fileName: String) -> Result<Settings, CatalogError> {
        let table: TOMLTable
        switch TOMLFile.table(text: text, fileName: fileName) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(error)
        }
        var settings = Settings()
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string else { throw CatalogError(file: fileName, key: key, message: "must be a string") }
            return s
        }
        func positive(_ key: String) throws -> Int? {
            guard let value = table[key] else { return nil }
            guard let n = value.int, n > 0 else { throw CatalogError(file: fileName, key: key, message: "must be a positive whole number") }
            return n
        }
        do {
            for key in table.keys where !keys.contains(key) {
                throw CatalogError(file: fileName, key: key, message: "unknown key (known: \(keys.sorted().joined(separator: ", ")))")
            }
            settings.feeds = try string("feeds")
            settings.output = try string("output")
            settings.state = try string("state")
            if let text = try string("base_url") {
                guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                    throw CatalogError(file: fileName, key: "base_url", message: "'\(text)' is not an http(s) URL")
                }
                settings.baseURL = url
            }
            settings.userAgent = try string("user_agent")
            if let value = table["allow_private_networks"] {
                guard let flag = value.bool else { throw CatalogError(file: fileName, key: "allow_private_networks", message: "must be true or false") }
                settings.allowPrivateNetworks = flag
            }
            settings.concurrency = try positive("concurrency")
            settings.perHost = try positive("per_host")
            if let value = table["host_gap"] {
                guard let seconds = value.double ?? value.int.map(Double.init), seconds >= 0 else {
                    throw CatalogError(file: fileName, key: "host_gap", message: "must be a number of seconds")
                }
                settings.hostGap = seconds
            }
            settings.proxy = try string("proxy")
            settings.caFile = try string("ca_file")
            settings.listen = try string("listen")
            settings.refreshToken = try string("refresh_token")
            settings.sourcesAtOnce = try positive("sources_at_once")
            if let text = try string("retain") {
                guard let seconds = DurationText.seconds(text) else {
                    throw CatalogError(file: fileName, key: "retain", message: "'\(text)' is not a duration such as 30d or 12h")
                }
                settings.retain = seconds
            }
        } catch let error as CatalogError {
            return .failure(error)
        } catch {
            return .failure(CatalogError(file: fileName, message: "\(error)"))
        }
        return .success(settings)
    }
}
