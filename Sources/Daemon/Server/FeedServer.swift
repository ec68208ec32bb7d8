import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import TidingsCore

/// Where the server ended up listening (the port is known only after binding when 0 was asked).
public struct BoundEndpoint: Sendable, CustomStringConvertible {
    /// `http://127.0.0.1:8080`, or `http://localhost` on a unix socket.
    public var url: String
    public var unixSocket: String?

    public var description: String { unixSocket ?? url }
}

/// The built-in HTTP server (Hummingbird): the output folder, POST /refresh, /healthz,
/// /status.json and /metrics.
final class FeedServer: Sendable {
    let configuration: ServerConfiguration
    let driver: SchedulerDriver
    let token: String
    let logger: Logger
    let files: StaticFiles
    /// How many connections may be served, from the descriptor limit when the server starts.
    let budget: DescriptorBudget
    let gate: ConnectionGate
    let rendered = RenderedAnswers()
    /// `GET /img/…`; nil: 404.
    let images: (any ImageProxying)?
    /// The feed files of a store shared with other nodes; nil: the output folder alone.
    let sharing: SharedFeeds?
    private let running = Locked<(task: Task<Void, Error>, group: ServiceGroup)?>(nil)

    /// Feed files may be cached for half their source's interval, between 1 minute and 1 hour:
    /// a reader polling more often than the feed can change gets a 304 from its cache.
    static let cacheMaxAgeRange = 60...3600

    init(configuration: ServerConfiguration, driver: SchedulerDriver, token: String, logger: Logger,
         images: (any ImageProxying)? = nil, sharing: SharedFeeds? = nil) {
        self.images = images
        self.sharing = sharing
        self.configuration = configuration
        self.driver = driver
        self.token = token
        self.logger = logger
        self.budget = DescriptorBudget.current(configuredMaximum: configuration.maxConnections)
        self.gate = ConnectionGate(limit: budget.servedConnections)
        let fixedMaxAge = configuration.cacheMaxAge
        self.files = StaticFiles(root: configuration.outputDirectory, shared: sharing) { [driver] stem in
            if let fixedMaxAge { return fixedMaxAge }
            guard let source = driver.source(named: stem) else { return nil }
            return min(max(Int(source.every / 2), Self.cacheMaxAgeRange.lowerBound), Self.cacheMaxAgeRange.upperBound)
        }
    }

    /// Connections waiting in the kernel for the server to accept them (Linux caps it at
    /// net.core.somaxconn, 4,096 by default).
    static let listenBacklog = 4096

    /// Binds and starts serving; returns once the socket listens.
    func start() async throws -> BoundEndpoint {
        let address: BindAddress
        switch configuration.listen {
        case .tcp(let host, let port):
            address = .hostname(host, port: port)
        case .unixSocket(let path):
            try Self.removeStaleSocket(at: path)
            address = .unixDomainSocket(path: path)
        }
        let listen = configuration.listen
        let bound = Locked<CheckedContinuation<BoundEndpoint, Error>?>(nil)
        let (gate, budget) = (self.gate, self.budget)
        let requestTimeout = TimeAmount.milliseconds(Int64(configuration.requestTimeout * 1000))
        let sendTimeout = TimeAmount.milliseconds(Int64(configuration.sendTimeout * 1000))
        let app = Application(
            router: makeRouter(),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, gate: gate, requestTimeout: requestTimeout, sendTimeout: sendTimeout)
            },
            configuration: .init(address: address, serverName: "tidings/\(TidingsVersion.current)",
                                 backlog: Self.listenBacklog,
                                 availableConnectionsDelegate: MaximumAvailableConnections(budget.acceptCeiling, logger: logger)),
            onServerRunning: { channel in
                let endpoint: BoundEndpoint
                switch listen {
                case .tcp(let host, _):
                    let port = channel.localAddress?.port ?? 0
                    let hostText = host.contains(":") ? "[\(host)]" : host
                    endpoint = BoundEndpoint(url: "http://\(hostText):\(port)", unixSocket: nil)
                case .unixSocket(let path):
                    endpoint = BoundEndpoint(url: "http://localhost", unixSocket: path)
                }
                bound.withLock { $0.take() }?.resume(returning: endpoint)
            },
            logger: logger
        )
        // Our own group, without signal handling: the daemon owns the signals and asks the
        // server to shut down gracefully (finish answering, then close) when it stops.
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        return try await withCheckedThrowingContinuation { continuation in
            bound.withLock { $0 = continuation }
            let task = Task {
                do {
                    try await group.run()
                } catch {
                    bound.withLock { $0.take() }?.resume(throwing: DaemonError.cannotListen(address: listen.description, cause: "\(error)"))
                    throw error
                }
            }
            running.withLock { $0 = (task, group) }
        }
    }

    /// Stops listening and closes connections.
    func stop() async {
        guard let (task, group) = running.withLock({ $0.take() }) else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        if case .unixSocket(let path) = configuration.listen { unlink(path) }
    }

    /// A socket file left by a killed daemon would make bind fail; anything else at that
    /// path is left alone and reported.
    static func removeStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw DaemonError.cannotListen(address: path, cause: "a file that is not a socket is in the way")
        }
        unlink(path)
    }
}
