import Foundation
import TidingsCore

/// A response passed on as it came (a page's sub-request answered for a browser): status,
/// headers and the body after content decoding, redirects not followed.
public struct FetchedResource: Sendable {
    public var url: URL
    public var status: Int
    /// Names lower-cased, values trimmed; framing headers (`content-encoding`, `content-length`,
    /// `transfer-encoding`) left out, since the body is already decoded.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
}

extension Fetcher {
    /// Headers that describe the transfer rather than the content; wrong for a decoded body.
    static let framingHeaders: Set<String> = ["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"]

    /// Fetches one URL with a GET and returns the response as it is, any status, a redirect
    /// included (the caller follows it, so each hop comes back here and is vetted alike). The
    /// same rules as `fetch` apply: address guard, robots.txt, Retry-After holds, per-host
    /// limits and gaps, the body cap.
    public func fetchResource(_ request: FetchRequest) async throws(FetchError) -> FetchedResource {
        let url = request.url
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(url) }
        guard url.host?.isEmpty == false else { throw .other(url, "the URL has no host") }
        let origin = TransferJob.origin(of: url)
        if let hold = holds.current(origin, now: now()) {
            throw .rateLimited(url, status: hold.status, retryAfter: hold.until.timeIntervalSince(now()))
        }
        if configuration.proxy != nil { try await ProxyTargetCheck.check(url, addressGuard: configuration.addressGuard) }
        if configuration.obeysRobots && request.obeysRobots { try await checkRobots(url, origin: origin, hostGap: request.hostGap) }
        let job = TransferJob(url: url, origin: origin, headers: request.headers, cookies: request.cookies,
                              referer: request.referer, maxBodyBytes: configuration.maxBodyBytes,
                              hostGap: request.hostGap ?? configuration.hostGap)
        let response = Response(try await engine.perform(job).get())
        if response.status == 429 || response.status == 503,
           let seconds = response.header("retry-after").flatMap({ RetryAfter.seconds($0, now: now()) })
            ?? (response.status == 429 ? RetryAfter.minimum : nil) {
            holds.hold(origin, until: now().addingTimeInterval(seconds), status: response.status)
        }
        return FetchedResource(url: url, status: response.status,
                               headers: response.headers.filter { !Self.framingHeaders.contains($0.name) },
                               body: response.body)
    }
}
