import Foundation
import TestSupport
@testable import Storage

/// Several loopback hosts (one `LoopbackServer` each), every one serving the bundled sample
/// site under one folder per source (`/h0-s1/index.html`, `/h0-s1/2025/…`). It records who
/// asked for what and when (the node's name is in its User-Agent), and notes every moment two
/// nodes had a request in progress on one host at once.
final class NodeSites: @unchecked Sendable {
    // @unchecked Sendable: every var is guarded by `lock`.
    struct Hit: Sendable {
        var host: Int
        var sourceID: String
        /// The path inside the source's folder (`/index.html`).
        var path: String
        var node: String
        var at: Date
    }

    let servers: [LoopbackServer]
    private let lock = NSLock()
    private var hits: [Hit] = []
    private var inFlight: [Int: [String: Int]] = [:]
    private var overlapNotes: [String] = []
    private var secondListing = Set<Int>()
    private var articleDelays: [Int: TimeInterval] = [:]
    private var nodeMarks: [Int: Bool] = [:]

    /// Each request is held this long, so that requests of two nodes that did overlap are seen to.
    static let holdSeconds: TimeInterval = 0.01

    init(hosts: Int) throws {
        var servers: [LoopbackServer] = []
        for _ in 0..<hosts { servers.append(try LoopbackServer { _ in .notFound }) }
        self.servers = servers
        for (index, server) in servers.enumerated() {
            server.setHandler { [unowned self] request in self.answer(request, host: index) }
        }
    }

    func listingURL(host: Int, sourceID: String) -> URL { servers[host].url("/\(sourceID)/index.html") }

    var allHits: [Hit] { lock.withLock { hits } }
    var overlaps: [String] { lock.withLock { overlapNotes } }

    /// From now on host `host` lists the extra article too; its page is held back `delay` seconds;
    /// `markByNode`: its text names the node that fetched it.
    func publishExtraArticle(host: Int, delay: TimeInterval = 0, markByNode: Bool = false) {
        lock.withLock {
            secondListing.insert(host)
            articleDelays[host] = delay
            nodeMarks[host] = markByNode
        }
    }

    func setArticleDelay(host: Int, _ delay: TimeInterval) { lock.withLock { articleDelays[host] = delay } }

    /// The node named in a User-Agent (`node-2`), or the whole header.
    static func node(of request: LoopbackRequest) -> String {
        let agent = request.headers["user-agent"] ?? "?"
        guard let range = agent.range(of: #"node-\d+"#, options: .regularExpression) else { return agent }
        return String(agent[range])
    }

    private func answer(_ request: LoopbackRequest, host: Int) -> LoopbackResponse {
        let node = Self.node(of: request)
        let parts = request.path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
        let sourceID = parts.first.map(String.init) ?? ""
        let inner = parts.count > 1 ? "/" + parts[1] : "/"
        let (extra, delay, mark) = lock.withLock { () -> (Bool, TimeInterval, Bool) in
            if let others = inFlight[host]?.filter({ $0.key != node && $0.value > 0 }), !others.isEmpty {
                overlapNotes.append("host \(host): \(node) asked for \(request.path) while \(others.keys.sorted()) had requests in progress")
            }
            inFlight[host, default: [:]][node, default: 0] += 1
            hits.append(Hit(host: host, sourceID: sourceID, path: inner, node: node, at: Date()))
            return (secondListing.contains(host), articleDelays[host] ?? 0, nodeMarks[host] ?? false)
        }
        defer { lock.withLock { inFlight[host, default: [:]][node, default: 1] -= 1 } }
        Thread.sleep(forTimeInterval: Self.holdSeconds)
        var local = request
        local.target = inner
        if extra && (inner == "/index.html" || inner == "/") { local.target = "/index-2.html" }
        var response = LoopbackServer.fileHandler(directory: FixtureSite.siteExtra, overrides: [:])(local)
        if response.status != 200 { response = LoopbackServer.fileHandler(directory: FixtureSite.site, overrides: [:])(local) }
        if inner == FixtureSite.extraArticle {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            // The page is GB18030: an ASCII mark inside its first paragraph keeps it valid.
            if mark, let range = response.body.range(of: Data("<p>".utf8)) {
                response.body.replaceSubrange(range, with: Data("<p>fetched-by-\(node) ".utf8))
            }
        }
        return response
    }

    /// The times each source's listing was asked for, by source, in order.
    func listingFetches(since: Date = .distantPast) -> [String: [Hit]] {
        Dictionary(grouping: allHits.filter { $0.path == "/index.html" && $0.at >= since }, by: \.sourceID)
    }

    func stop() { servers.forEach { $0.stop() } }
}

/// Several `tidings run` processes on one PostgreSQL database and one catalog of loopback
/// sources: `hosts` hosts with `sourcesPerHost` sources each, all with `every`.
final class NodeCluster: @unchecked Sendable {
    // @unchecked Sendable: used from the test's own task only.
    let conninfo: String
    let sites: NodeSites
    var nodes: [DaemonProcess] = []
    let sourceIDs: [String]
    let hostOf: [String: Int]

    init(nodes count: Int, hosts: Int, sourcesPerHost: Int, every: String, lease: String,
         conninfo: String? = nil, extraSettings: String = "") throws {
        let conninfo = try conninfo ?? ThrowawayPostgres.freshDatabase()
        self.conninfo = conninfo
        sites = try NodeSites(hosts: hosts)
        var ids: [String] = []
        var hostOf: [String: Int] = [:]
        for host in 0..<hosts {
            for n in 0..<sourcesPerHost {
                let id = "h\(host)-s\(n)"
                ids.append(id)
                hostOf[id] = host
            }
        }
        sourceIDs = ids
        self.hostOf = hostOf
        for index in 0..<count {
            let node = try DaemonProcess()
            node.settingsText = """
                store = "\(Self.url(conninfo))"
                node = "node-\(index)"
                lease = "\(lease)"
                user_agent = "tidings-test node-\(index)"
                \(extraSettings)
                """
            for id in ids {
                try node.writeSource(id, """
                    title = "\(id)"
                    url = "\(sites.listingURL(host: hostOf[id]!, sourceID: id).absoluteString)"
                    every = "\(every)"
                    language = "zh-CN"
                    timezone = "Asia/Shanghai"
                    """)
            }
            nodes.append(node)
        }
    }

    /// A libpq keyword string (`host=/tmp/x user=postgres dbname=d`) as the URI `store` takes.
    static func url(_ conninfo: String) -> String {
        var fields: [String: String] = [:]
        for pair in conninfo.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        let host = (fields["host"] ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "postgresql://\(fields["user"] ?? "postgres")@/\(fields["dbname"] ?? "postgres")?host=\(host)"
    }

    func startAll() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.start() } }
            try await group.waitForAll()
        }
    }

    func store() async throws -> PostgresStore { try await PostgresStore(conninfo: conninfo, connections: 1) }

    /// Every source's stored entry ids, by source.
    func entryIDs(_ store: PostgresStore) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for id in sourceIDs { result[id] = try await store.entries(sourceID: id, limit: 1000).map(\.id) }
        return result
    }

    func node(named name: String) -> DaemonProcess? {
        guard let index = Int(name.replacingOccurrences(of: "node-", with: "")), nodes.indices.contains(index) else { return nil }
        return nodes[index]
    }

    var logs: String { nodes.enumerated().map { "--- node-\($0.offset)\n\($0.element.logText.suffix(6000))" }.joined(separator: "\n") }

    func cleanUp() {
        for node in nodes {
            node.signal(SIGCONT)
            node.cleanUp()
        }
        sites.stop()
    }
}
