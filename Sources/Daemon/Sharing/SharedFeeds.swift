import Dispatch
import Foundation
import Logging
import Storage

/// The feed files as the shared store has them, for the server: which version of each file
/// is the newest (learnt by LISTEN, or by polling while that connection is down) and the
/// bytes of the files asked for lately, cached by version. Also records this node's catalog
/// in the store and reads the others', so every node can say when they differ.
final class SharedFeeds: Sendable {
    struct Document: Sendable {
        var name: String
        var version: Int64
        var body: Data
        var modified: Date
    }

    struct State {
        var heads: [String: FeedDocumentHead] = [:]
        var newestVersion: Int64 = 0
        var cached: [String: Document] = [:]
        var cachedBytes = 0
        var lastError: String?
        var lastLoss: String?
        var agreement = CatalogAgreement([])
        var catchUps = 0
        var isStopped = false
    }

    /// Bytes of feed files kept in memory: every feed of a few hundred sources; cleared when full.
    static let cacheCapacity = 128 << 20

    let configuration: SharingConfiguration
    private let logger: Logger
    private let state = Locked(State())
    private let watch = Locked<(any DocumentWatch)?>(nil)
    private let loop = Locked<Task<Void, Never>?>(nil)
    private let wakeup = Wakeup()

    init(configuration: SharingConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    var documents: any FeedDocumentStore { configuration.documents }

    /// Reads the store's versions and catalogs once, then keeps up with them until `stop`.
    func start() async {
        await catchUp()
        await checkCatalogs()
        let watch = documents.watchDocuments(retryDelay: configuration.listenRetryDelay) { [weak self] event in
            self?.handle(event)
        }
        self.watch.withLock { $0 = watch }
        let task = Task { [self] in await run() }
        loop.withLock { $0 = task }
    }

    func stop() async {
        state.withLock { $0.isStopped = true }
        watch.withLock { $0.take() }?.stop()
        wakeup.signal()
        await loop.withLock { $0.take() }?.value
    }

    var isListening: Bool { watch.withLock { $0?.isListening ?? false } }

    private func handle(_ event: DocumentWatchEvent) {
        switch event {
        case .listening, .changed:
            wakeup.signal()
        case .lost(let cause):
            state.withLock { $0.lastLoss = cause }
            logger.warning("the store's notifications are not heard; polling instead", metadata: ["error": "\(cause)"])
            wakeup.signal()
        }
    }

    private func run() async {
        var nextCatalogCheck = MonotonicClock.now() + configuration.catalogInterval
        while !state.withLock({ $0.isStopped }) {
            let poll = isListening ? configuration.listeningPollInterval : configuration.pollInterval
            await wakeup.wait(timeout: min(poll, nextCatalogCheck - MonotonicClock.now()))
            if state.withLock({ $0.isStopped }) { return }
            await catchUp()
            if MonotonicClock.now() >= nextCatalogCheck {
                await checkCatalogs()
                nextCatalogCheck = MonotonicClock.now() + configuration.catalogInterval
            }
        }
    }

    // MARK: Versions

    /// Asks the store what changed since the newest version known; in `.every` mode writes
    /// the changed files into the output folder.
    func catchUp() async {
        let after = state.withLock { $0.newestVersion }
        let heads: [FeedDocumentHead]
        do {
            heads = try await documents.documentHeads(after: after)
        } catch {
            state.withLock { $0.lastError = "\(error)" }
            return
        }
        state.withLock { state in
            state.lastError = nil
            state.catchUps += 1
            for head in heads where (state.heads[head.name]?.version ?? -1) < head.version {
                state.heads[head.name] = head
                state.newestVersion = max(state.newestVersion, head.version)
            }
        }
        guard configuration.publishFiles == .every else { return }
        for head in heads {
            guard let document = await load(head.name) else { continue }
            do {
                try configuration.writeFile(head.name, Array(document.body))
            } catch {
                logger.error("could not copy a feed file from the store", metadata: ["file": "\(head.name)", "error": "\(error)"])
            }
        }
    }

    /// The newest version of the file a URL path names, with its bytes; nil when the store
    /// has no such file (the output folder answers then).
    func document(forPath path: String) async -> Document? {
        guard let name = Self.documentName(path) else { return nil }
        return await load(name)
    }

    private func load(_ name: String) async -> Document? {
        let (head, cached) = state.withLock { ($0.heads[name], $0.cached[name]) }
        guard let head else { return nil }
        if let cached, cached.version >= head.version { return cached }
        do {
            guard let stored = try await documents.document(named: name) else { return cached }
            let document = Document(name: name, version: stored.head.version, body: Data(stored.body), modified: stored.head.modified)
            state.withLock { state in
                if (state.heads[name]?.version ?? -1) < stored.head.version { state.heads[name] = stored.head }
                if state.cachedBytes + document.body.count > Self.cacheCapacity {
                    state.cached.removeAll()
                    state.cachedBytes = 0
                }
                state.cachedBytes += document.body.count - (state.cached[name]?.body.count ?? 0)
                state.cached[name] = document
            }
            return document
        } catch {
            // The store is out of reach: the copy in memory, however old, is what every node had.
            state.withLock { $0.lastError = "\(error)" }
            return cached
        }
    }

    /// `/` → index.html, `/name.atom` → name.atom; nil for anything in a subfolder or hidden.
    static func documentName(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.isEmpty { return "index.html" }
        guard parts.count == 1, !path.hasSuffix("/"), let name = parts.first, !name.hasPrefix("."), !name.contains("\0") else { return nil }
        return String(name)
    }

    // MARK: Catalogs

    func checkCatalogs() async {
        let digest = configuration.catalogDigest()
        do {
            try await documents.saveNodeCatalog(NodeCatalog(node: configuration.node, hash: digest.hash, sourceCount: digest.sourceCount))
            let catalogs = try await documents.nodeCatalogs(seenWithin: configuration.catalogInterval * 3)
            let agreement = CatalogAgreement(catalogs)
            let before = state.withLock { state -> String? in
                defer { state.agreement = agreement }
                return state.agreement.problem
            }
            if let problem = agreement.problem, problem != before {
                logger.warning("the nodes read different feeds/ folders", metadata: ["problem": "\(problem)"])
            }
        } catch {
            state.withLock { $0.lastError = "\(error)" }
        }
    }

    // MARK: Status

    var report: SharingReport {
        let listening = isListening
        return state.withLock { state in
            SharingReport(node: configuration.node, publishFiles: configuration.publishFiles.rawValue, listening: listening,
                          documents: state.heads.count, newestVersion: state.newestVersion, storeError: state.lastError,
                          lastListenError: state.lastLoss, catalog: state.agreement, catalogProblem: state.agreement.problem)
        }
    }
}

/// How feed sharing stands, for /status.json and /healthz.
public struct SharingReport: Sendable, Codable, Hashable {
    public var node: String
    public var publishFiles: String
    /// Whether the LISTEN connection is up (when not, the store is polled every few seconds).
    public var listening: Bool
    /// Feed files in the store, and the newest version this node has heard of.
    public var documents: Int
    public var newestVersion: Int64
    /// Why the store could not be read last time; absent once it can.
    public var storeError: String?
    public var lastListenError: String?
    public var catalog: CatalogAgreement
    public var catalogProblem: String?
}

/// One waiter woken by `signal` or after a timeout, whichever comes first; a signal with no
/// one waiting is kept for the next wait.
final class Wakeup: Sendable {
    private let state = Locked<(pending: Bool, waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?, nextID: Int)>(
        (false, nil, 0))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    func wait(timeout: TimeInterval) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> Int? in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.nextID += 1
                state.waiter = (state.nextID, continuation)
                return state.nextID
            }
            guard let id else { return continuation.resume() }
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout)) { [self] in
                let expired = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume()
            }
        }
    }
}
