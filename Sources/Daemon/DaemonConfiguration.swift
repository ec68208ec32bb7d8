import Foundation

/// Everything `tidings run` decides before the daemon starts.
public struct DaemonConfiguration: Sendable {
    public var scheduler: SchedulerConfiguration
    /// The built-in HTTP server, or nil to leave serving to another web server (`--no-serve`).
    public var server: ServerConfiguration?
    /// Where `daemon.json` tells other processes how to reach this daemon.
    public var stateDirectory: URL
    /// How long SIGTERM waits for running refreshes before cancelling them. 15 s leaves 5 s of
    /// systemd's 20 s budget (TimeoutStopSec in the unit) to unwind and flush.
    public var stopGracePeriod: TimeInterval
    public var heartbeatInterval: TimeInterval
    /// Re-reads the settings (tidings.toml and flags) on SIGHUP and applies what it can;
    /// returns problems to report (a broken file, settings that need a restart).
    public var reloadSettings: (@Sendable () -> [String])?
    /// Feeds served from a store shared with other nodes (PostgreSQL); nil: this node alone.
    public var sharing: SharingConfiguration?
    /// This node's name and lease length when the store is shared with other nodes.
    public var node: NodeConfiguration = .init()

    public static let defaultStopGracePeriod: TimeInterval = 15

    public init(scheduler: SchedulerConfiguration = .init(), server: ServerConfiguration?, stateDirectory: URL,
                stopGracePeriod: TimeInterval = defaultStopGracePeriod,
                heartbeatInterval: TimeInterval = SchedulerDriver.defaultHeartbeatInterval,
                reloadSettings: (@Sendable () -> [String])? = nil) {
        self.reloadSettings = reloadSettings
        self.scheduler = scheduler
        self.server = server
        self.stateDirectory = stateDirectory
        self.stopGracePeriod = stopGracePeriod
        self.heartbeatInterval = heartbeatInterval
    }
}

/// Where the built-in server listens and what it serves.
public struct ServerConfiguration: Sendable {
    public var listen: ListenAddress
    /// The folder of feed files to serve (the Writer's output).
    public var outputDirectory: URL
    /// The Bearer token POST /refresh needs; nil: one is generated and kept in `daemon.json`.
    public var refreshToken: String?
    /// Cache-Control max-age for feed files; nil: a quarter of the shortest source interval,
    /// between 1 minute and 1 hour.
    public var cacheMaxAge: Int?
    /// Connections served at once; nil: as many as the descriptor limit allows (see
    /// `DescriptorBudget`), at most 4,096. Connections beyond get 503 and are closed.
    public var maxConnections: Int?
    /// A connection must deliver a whole request within this many seconds of opening (or of
    /// its previous response's end), else it is closed: slow-header clients and idle
    /// keep-alive connections do not hold a slot.
    public var requestTimeout: TimeInterval
    /// A client that reads nothing of a response for this many seconds is disconnected.
    public var sendTimeout: TimeInterval

    public static let defaultRequestTimeout: TimeInterval = 10
    public static let defaultSendTimeout: TimeInterval = 30

    public init(listen: ListenAddress = .default, outputDirectory: URL, refreshToken: String? = nil, cacheMaxAge: Int? = nil,
                maxConnections: Int? = nil, requestTimeout: TimeInterval = defaultRequestTimeout,
                sendTimeout: TimeInterval = defaultSendTimeout) {
        self.listen = listen
        self.outputDirectory = outputDirectory
        self.refreshToken = refreshToken
        self.cacheMaxAge = cacheMaxAge
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
        self.sendTimeout = sendTimeout
    }
}

/// `--listen 127.0.0.1:8080`, `--listen [::1]:8080`, `--listen :8080` or `--listen /run/tidings.sock`.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unixSocket(path: String)

    public static let `default` = ListenAddress.tcp(host: "127.0.0.1", port: 8080)

    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("./") {
            self = .unixSocket(path: trimmed)
            return
        }
        guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): path
        }
    }
}

/// A node among several on one shared store (`store = "postgresql://…"`).
public struct NodeConfiguration: Sendable, Hashable {
    /// Shown in /status.json and recorded as the owner of its leases (`node`); default
    /// the machine's host name and the process id.
    public var id: String
    /// How long a claim of a host lasts without a heartbeat (`lease`): a node that dies or
    /// freezes gives its hosts up this long after its last heartbeat. Heartbeats come every third of it.
    public var leaseDuration: TimeInterval

    /// 30 s: a lost node's hosts wait at most half a minute; heartbeats every 10 s cost nothing.
    public static let defaultLeaseDuration: TimeInterval = 30

    public init(id: String? = nil, leaseDuration: TimeInterval = defaultLeaseDuration) {
        self.id = id ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        self.leaseDuration = max(1, leaseDuration)
    }
}
