import CCurl
import Foundation
import TidingsCore

/// Fetches pages with libcurl and decodes them to text, politely: robots.txt, per-host
/// limits and gaps, conditional GET, Retry-After. All transfers of one Fetcher share one
/// engine thread and its connection cache, so create one per process and share it.
public final class Fetcher: Sendable {
    public let configuration: FetcherConfiguration

    /// RFC 9309 §2.5: crawlers parse at least the first 500 KiB of a robots.txt.
    static let robotsBodyLimit = 500 * 1024

    private static let globalInit: Void = { _ = tidings_global_init() }()

    let engine: TransferEngine
    private let robots: RobotsCache
    /// robots.txt answers kept across runs (the state folder), when given.
    private let robotsStore: (any RobotsStore)?
    let holds: HostHolds
    let now: @Sendable () -> Date
    /// Where fetched bytes are parsed (charset, gzip files, robots.txt).
    private let bodyReader: any BodyReader

    /// `politeness` is the memory of holds, robots.txt and host gaps; pass the previous
    /// Fetcher's to a replacement so that it carries on where that one stopped.
    /// `bodyReader` parses what is fetched: in this process unless the caller gives one that
    /// works elsewhere (a daemon's worker processes).
    public convenience init(configuration: FetcherConfiguration = .init(), politeness: PolitenessMemory = PolitenessMemory(),
                            robotsStore: (any RobotsStore)? = nil, bodyReader: any BodyReader = InProcessBodyReader()) {
        self.init(configuration: configuration, politeness: politeness, robotsStore: robotsStore, bodyReader: bodyReader, now: { Date() })
    }

    /// `now` is the wall clock used for robots.txt ages and Retry-After holds (tests inject one).
    public init(configuration: FetcherConfiguration, politeness: PolitenessMemory = PolitenessMemory(),
                robotsStore: (any RobotsStore)? = nil, bodyReader: any BodyReader = InProcessBodyReader(),
                now: @escaping @Sendable () -> Date) {
        _ = Self.globalInit
        self.configuration = configuration
        self.robotsStore = robotsStore
        self.now = now
        self.bodyReader = bodyReader
        self.robots = politeness.robots(for: configuration.productToken)
        self.holds = politeness.holds
        self.engine = TransferEngine(configuration: configuration, starts: politeness.starts)
    }

    deinit {
        engine.shutdown()
    }

    func engineResult(_ job: TransferJob) async -> Result<RawResponse, FetchError> {
        await engine.perform(job)
    }

    /// Runs tasks on the engine's thread. A task group that only fetches and does a little
    /// with each page (`tidings fetch --urls`) can prefer it (`withTaskExecutorPreference`) to
    /// save a hand-over between threads per page; heavy work must not, as it delays every transfer.
    public var taskExecutor: any TaskExecutor { engine.executor }

    /// Fetches one URL. A 304 answer to the request's validators, or a body whose hash equals
    /// `previousBodyHash`, gives `.notModified`. Redirects are followed here, one hop at a time
    /// rather than inside curl, so that every hop passes robots.txt and Retry-After holds of
    /// its own host and waits for its host's turn like any request.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchOutcome {
        let url = request.url
        let scheme = url.scheme?.lowercased() ?? ""
        let isFile = scheme == "file" && request.allowFileScheme
        guard scheme == "http" || scheme == "https" || isFile else { throw .unsupportedScheme(url) }
        guard isFile || url.host?.isEmpty == false else { throw .other(url, "the URL has no host") }
        let obeysRobots = !isFile && configuration.obeysRobots && request.obeysRobots
        let response = try await following(url, job: { hop in
            // Per-source headers and cookies are for the source's own host only (and never
            // downgraded from https to http).
            let sameHost = hop.number == 0 || (hop.url.host?.lowercased() == url.host?.lowercased()
                && (hop.url.scheme?.lowercased() == scheme || hop.url.scheme?.lowercased() == "https"))
            return TransferJob(url: hop.url, origin: hop.origin, etag: request.etag, lastModified: request.lastModified,
                               headers: sameHost ? request.headers : [:], cookies: sameHost ? request.cookies : nil,
                               referer: request.referer, allowFileScheme: isFile && hop.number == 0,
                               maxBodyBytes: configuration.maxBodyBytes, hostGap: request.hostGap ?? configuration.hostGap)
        }, vet: { [self] (hop: Hop) throws(FetchError) in
            try await vet(hop, isFile: isFile, obeysRobots: obeysRobots, hostGap: request.hostGap)
        })
        return try await outcome(of: response, request: request)
    }

    /// The checks every hop of a fetch passes first: Retry-After holds, the proxy's target
    /// addresses, robots.txt.
    func vet(_ hop: Hop, isFile: Bool, obeysRobots: Bool, hostGap: TimeInterval?) async throws(FetchError) {
        if let hold = holds.current(hop.origin, now: now()) {
            throw FetchError.rateLimited(hop.url, status: hold.status, retryAfter: hold.until.timeIntervalSince(now()))
        }
        if !isFile, configuration.proxy != nil { try await ProxyTargetCheck.check(hop.url, addressGuard: configuration.addressGuard) }
        if obeysRobots { try await checkRobots(hop.url, origin: hop.origin, hostGap: hostGap) }
    }

    /// Runs the transfer of `url` and of every redirect after it (at most `maxRedirects`),
    /// each hop vetted first. Errors name `url`, except a robots.txt refusal, which names the
    /// hop that robots.txt refused.
    func following(_ url: URL, job: (Hop) -> TransferJob,
                           vet: (Hop) async throws(FetchError) -> Void) async throws(FetchError) -> Response {
        var hopURL = url
        var wireTime: TimeInterval = 0
        var connections = 0
        for number in 0...configuration.maxRedirects {
            let hop = Hop(url: hopURL, origin: TransferJob.origin(of: hopURL), number: number)
            var response: Response
            do {
                try await vet(hop)
                response = Response(try await engine.perform(job(hop)).get())
            } catch {
                switch error {
                case .robotsDisallowed, .robotsUnreachable: throw error
                default: throw number == 0 ? error : error.naming(url)
                }
            }
            wireTime += response.transferTime
            connections += response.newConnections
            response.requestedURL = url
            response.transferTime = wireTime
            response.newConnections = connections
            guard let target = try Self.redirectTarget(of: response, requested: url) else { return response }
            hopURL = target
        }
        throw .tooManyRedirects(url, limit: configuration.maxRedirects)
    }

    /// One request of a fetch: the first (number 0) or a redirect's.
    struct Hop {
        var url: URL
        /// The politeness and robots.txt key (scheme, host, port).
        var origin: String
        var number: Int
    }

    /// Where a redirect leads (RFC 9110 §15.4): nil when the response is not one to follow.
    /// Only http and https are followed, whatever the first URL was.
    static func redirectTarget(of response: Response, requested: URL) throws(FetchError) -> URL? {
        guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("location"),
              !location.isEmpty else { return nil }
        let unreadable = FetchError.invalidResponse(requested, "redirect to an unreadable Location: \(location.prefix(200))")
        guard let target = URL(string: location, relativeTo: response.finalURL)?.absoluteURL else { throw unreadable }
        guard let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .unsupportedScheme(requested)
        }
        guard target.host?.isEmpty == false else { throw unreadable }
        return target
    }

    private func outcome(of response: Response, request: FetchRequest) async throws(FetchError) -> FetchOutcome {
        let status = response.status
        if status == 304 { return .notModified(response.finalURL) }
        if status == 429 || status == 503 {
            let asked = response.header("retry-after").flatMap { RetryAfter.seconds($0, now: now()) }
            // A 429 always means "slow down"; a 503 without Retry-After may be a plain outage.
            if let seconds = asked ?? (status == 429 ? RetryAfter.minimum : nil) {
                // Hold the host that answered and, after a redirect, the one asked for: it leads there.
                let until = now().addingTimeInterval(seconds)
                for origin in Set([TransferJob.origin(of: response.finalURL), TransferJob.origin(of: request.url)]) {
                    holds.hold(origin, until: until, status: status)
                }
                throw .rateLimited(response.finalURL, status: status, retryAfter: seconds)
            }
        }
        guard (200..<300).contains(status) else { throw .httpStatus(response.finalURL, status) }

        let hash = BodyHash.of(response.body)
        if let previous = request.previousBodyHash, previous == hash { return .notModified(response.finalURL) }
        let contentType = response.header("content-type")
        if !request.decodesBody && !GzipBody.isGzipFile(response.body, contentType: contentType, url: response.finalURL) {
            var page = Page(requestedURL: request.url, url: response.finalURL, status: status, contentType: contentType,
                            text: "", charset: "", charsetReason: "not decoded yet", etag: response.header("etag"),
                            lastModified: response.header("last-modified"), byteCount: response.body.count, bodyHash: hash,
                            transferTime: response.transferTime, httpVersion: response.httpVersion, connectionsOpened: response.newConnections)
            page.undecodedBody = response.body
            return .page(page)
        }
        let decoded: DecodedBody
        switch await bodyReader.decodedBody(response.body, contentType: contentType, url: response.finalURL, limit: configuration.maxBodyBytes) {
        case .success(let body): decoded = body
        case .failure(.tooLarge): throw .tooLarge(response.finalURL, limit: configuration.maxBodyBytes)
        case .failure(let failure): throw .invalidResponse(response.finalURL, failure.description)
        }
        return .page(Page(requestedURL: request.url, url: response.finalURL, status: status, contentType: contentType,
                          text: decoded.text, charset: decoded.charset, charsetReason: decoded.reason,
                          etag: response.header("etag"), lastModified: response.header("last-modified"),
                          byteCount: decoded.byteCount, bodyHash: hash, transferTime: response.transferTime,
                          httpVersion: response.httpVersion, connectionsOpened: response.newConnections))
    }

    // MARK: - robots.txt

    func checkRobots(_ url: URL, origin: String, hostGap: TimeInterval?) async throws(FetchError) {
        let verdict = await robots.verdict(for: origin, now: now()) { [self] in
            await self.loadRobots(origin: origin, hostGap: hostGap)
        }
        switch verdict {
        case .rules(let rules):
            if rules.allowsEverything { return }
            if !rules.allows(RobotsRules.target(of: url)) { throw .robotsDisallowed(url) }
        case .unreachable(let reason):
            throw .robotsUnreachable(url, reason)
        case .failed(let error):
            throw error.naming(url)
        }
    }

    /// One origin's robots.txt, from the robots store while the answer kept there is fresh,
    /// else from the origin (RFC 9309 §2.3): 2xx is parsed, 4xx and
    /// more than five redirects mean no rules, 5xx and network failures mean complete disallow
    /// (§2.3.1.4); a network failure is reported as itself, since the page would fail the same way.
    private func loadRobots(origin: String, hostGap: TimeInterval?) async -> (RobotsCache.Verdict, fetchedAt: Date) {
        let now = self.now()
        if let robotsURL = URL(string: origin + "/robots.txt"), let stored = await robotsStore?.answer(origin: origin) {
            let verdict = await verdict(status: stored.status, body: Array(stored.body.utf8), url: robotsURL)
            if let lifetime = RobotsCache.usableFor(verdict), now.timeIntervalSince(stored.fetchedAt) < lifetime,
               stored.fetchedAt <= now {
                return (verdict, stored.fetchedAt)
            }
        }
        let verdict = await fetchRobots(origin: origin, hostGap: hostGap)
        if let status = verdict.status {
            await robotsStore?.keep(StoredRobotsAnswer(origin: origin, status: status.code, body: status.body, fetchedAt: now))
        }
        return (verdict.verdict, now)
    }

    /// What a robots.txt answer means (RFC 9309 §2.3.1): 2xx rules, 4xx none, 5xx keep out.
    /// The body is parsed by the body reader (a worker process in the daemon), stored or not.
    private func verdict(status: Int, body: [UInt8], url: URL) async -> RobotsCache.Verdict {
        switch status {
        case 200..<300:
            switch await bodyReader.robotsRules(body, productToken: configuration.productToken, url: url) {
            case .success(let rules): return .rules(rules)
            // A robots.txt that crashes its reader is one we cannot read: as unreachable, disallow.
            case .failure(let failure): return .unreachable("robots.txt could not be read: \(failure.description)")
            }
        case 400..<500:
            return .rules(.allowAll)
        default:
            return .unreachable("robots.txt answered HTTP \(status)")
        }
    }

    /// Asks the origin; the status and body come back when it answered, to be kept.
    private func fetchRobots(origin: String, hostGap: TimeInterval?) async -> (verdict: RobotsCache.Verdict, status: (code: Int, body: String)?) {
        guard let robotsURL = URL(string: origin + "/robots.txt") else { return (.rules(.allowAll), nil) }
        let fetched: Result<Response, FetchError>
        do {
            fetched = .success(try await following(robotsURL, job: { hop in
                TransferJob(url: hop.url, origin: hop.origin, maxBodyBytes: Self.robotsBodyLimit, truncatesAtCap: true,
                            hostGap: hostGap ?? configuration.hostGap)
            }, vet: { [self] (hop: Hop) throws(FetchError) in
                // A robots.txt redirect through a proxy is checked like any hop.
                if configuration.proxy != nil { try await ProxyTargetCheck.check(hop.url, addressGuard: configuration.addressGuard) }
            }))
        } catch {
            fetched = .failure(error)
        }
        switch fetched {
        case .success(let response):
            let body = (200..<300).contains(response.status) ? String(decoding: response.body, as: UTF8.self) : ""
            return (await verdict(status: response.status, body: response.body, url: robotsURL), (response.status, body))
        case .failure(.tooManyRedirects):
            return (.rules(.allowAll), nil)  // §2.3.1.2: past five redirects it MAY count as unavailable
        case .failure(let error):
            return (.failed(error), nil)
        }
    }
}
