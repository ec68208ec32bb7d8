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

    private let engine: TransferEngine
    private let robots = RobotsCache()
    private let holds = HostHolds()
    private let now: @Sendable () -> Date

    public convenience init(configuration: FetcherConfiguration = .init()) {
        self.init(configuration: configuration, now: { Date() })
    }

    /// `now` is the wall clock used for robots.txt ages and Retry-After holds (tests inject one).
    public init(configuration: FetcherConfiguration, now: @escaping @Sendable () -> Date) {
        _ = Self.globalInit
        self.configuration = configuration
        self.now = now
        self.engine = TransferEngine(configuration: configuration)
    }

    deinit {
        engine.shutdown()
    }

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
        let response = try await following(url, job: { hopURL, hop in
            // Per-source headers and cookies are for the source's own host only (and never
            // downgraded from https to http).
            let sameHost = hopURL.host?.lowercased() == url.host?.lowercased()
                && (hopURL.scheme?.lowercased() == scheme || hopURL.scheme?.lowercased() == "https")
            return TransferJob(url: hopURL, etag: request.etag, lastModified: request.lastModified,
                               headers: sameHost ? request.headers : [:], cookies: sameHost ? request.cookies : nil,
                               referer: request.referer, allowFileScheme: isFile && hop == 0,
                               maxBodyBytes: configuration.maxBodyBytes, hostGap: request.hostGap ?? configuration.hostGap)
        }, vet: { [self] (hopURL: URL) throws(FetchError) in
            if let hold = holds.current(TransferJob.origin(of: hopURL), now: now()) {
                throw FetchError.rateLimited(hopURL, status: hold.status, retryAfter: hold.until.timeIntervalSince(now()))
            }
            if obeysRobots { try await checkRobots(hopURL, hostGap: request.hostGap) }
        })
        return try outcome(of: response, request: request)
    }

    /// Runs the transfer of `url` and of every redirect after it (at most `maxRedirects`),
    /// each hop vetted first. Errors name `url`, except a robots.txt refusal, which names the
    /// hop that robots.txt refused.
    private func following(_ url: URL, job: (URL, _ hop: Int) -> TransferJob,
                           vet: (URL) async throws(FetchError) -> Void) async throws(FetchError) -> Response {
        var hopURL = url
        var wireTime: TimeInterval = 0
        var connections = 0
        for hop in 0...configuration.maxRedirects {
            var response: Response
            do {
                try await vet(hopURL)
                response = Response(try await engine.perform(job(hopURL, hop)).get())
            } catch {
                switch error {
                case .robotsDisallowed, .robotsUnreachable: throw error
                default: throw hop == 0 ? error : error.naming(url)
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

    /// Where a redirect leads (RFC 9110 §15.4): nil when the response is not one to follow.
    /// Only http and https are followed, whatever the first URL was.
    static func redirectTarget(of response: Response, requested: URL) throws(FetchError) -> URL? {
        guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("location"),
              !location.isEmpty else { return nil }
        guard let target = URL(string: location, relativeTo: response.finalURL)?.absoluteURL,
              target.host?.isEmpty == false || target.scheme?.lowercased() == "file" else {
            throw .invalidResponse(requested, "redirect to an unreadable Location: \(location.prefix(200))")
        }
        guard let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .unsupportedScheme(requested)
        }
        return target
    }

    private func outcome(of response: Response, request: FetchRequest) throws(FetchError) -> FetchOutcome {
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
        let decoded = CharsetDecoder.decode(response.body, contentType: contentType)
        return .page(Page(requestedURL: request.url, url: response.finalURL, status: status, contentType: contentType,
                          text: decoded.text, charset: decoded.charset, charsetReason: decoded.reason,
                          etag: response.header("etag"), lastModified: response.header("last-modified"),
                          byteCount: response.body.count, bodyHash: hash, transferTime: response.transferTime,
                          httpVersion: response.httpVersion, connectionsOpened: response.newConnections))
    }

    // MARK: - robots.txt

    private func checkRobots(_ url: URL, hostGap: TimeInterval?) async throws(FetchError) {
        let origin = TransferJob.origin(of: url)
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

    /// Fetches and reads one origin's robots.txt (RFC 9309 §2.3): 2xx is parsed, 4xx and
    /// more than five redirects mean no rules, 5xx and network failures mean complete disallow
    /// (§2.3.1.4); a network failure is reported as itself, since the page would fail the same way.
    private func loadRobots(origin: String, hostGap: TimeInterval?) async -> RobotsCache.Verdict {
        guard let robotsURL = URL(string: origin + "/robots.txt") else { return .rules(.allowAll) }
        let fetched: Result<Response, FetchError>
        do {
            fetched = .success(try await following(robotsURL, job: { hopURL, _ in
                TransferJob(url: hopURL, maxBodyBytes: Self.robotsBodyLimit, truncatesAtCap: true,
                            hostGap: hostGap ?? configuration.hostGap)
            }, vet: { _ in }))
        } catch {
            fetched = .failure(error)
        }
        switch fetched {
        case .success(let response):
            switch response.status {
            case 200..<300:
                let text = String(decoding: response.body, as: UTF8.self)
                return .rules(RobotsRules(parsing: text, productToken: configuration.productToken))
            case 400..<500:
                return .rules(.allowAll)
            default:
                return .unreachable("robots.txt answered HTTP \(response.status)")
            }
        case .failure(.tooManyRedirects):
            return .rules(.allowAll)  // §2.3.1.2: past five redirects it MAY count as unavailable
        case .failure(let error):
            return .failed(error)
        }
    }
}
