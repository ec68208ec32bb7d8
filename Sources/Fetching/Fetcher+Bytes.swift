import Foundation
import TidingsCore

/// A body fetched as bytes, undecoded (images).
public struct FetchedBytes: Sendable {
    public var url: URL
    /// After redirects.
    public var finalURL: URL
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]
}

extension Fetcher {
    /// Fetches `request.url` and returns the body as it came (no charset decoding), at most
    /// `limit` bytes (`FetchError.tooLarge` past it). Redirects, address rules, robots.txt,
    /// Retry-After holds and host gaps apply as to any fetch; the request's headers, cookies
    /// and referer go to its own host only, as for pages.
    public func fetchBytes(_ request: FetchRequest, accept: String, limit: Int) async throws(FetchError) -> FetchedBytes {
        let url = request.url
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(url) }
        guard url.host?.isEmpty == false else { throw .other(url, "the URL has no host") }
        let obeysRobots = configuration.obeysRobots && request.obeysRobots
        let response = try await following(url, job: { hop in
            let sameHost = hop.number == 0 || hop.url.host?.lowercased() == url.host?.lowercased()
            return TransferJob(url: hop.url, origin: hop.origin, headers: sameHost ? request.headers : [:],
                               cookies: sameHost ? request.cookies : nil, referer: request.referer,
                               maxBodyBytes: limit, hostGap: request.hostGap ?? configuration.hostGap, accept: accept)
        }, vet: { [self] (hop: Hop) throws(FetchError) in
            try await vet(hop, isFile: false, obeysRobots: obeysRobots, hostGap: request.hostGap)
        })
        guard (200..<300).contains(response.status) else { throw .httpStatus(response.finalURL, response.status) }
        return FetchedBytes(url: url, finalURL: response.finalURL, status: response.status,
                            contentType: response.header("content-type"), body: response.body)
    }

    /// POSTs a form (`application/x-www-form-urlencoded`) and returns the status; redirects
    /// are not followed (a POST must not turn into a GET elsewhere). Address rules apply;
    /// robots.txt does not (this is no crawl).
    public func postForm(_ url: URL, fields: [(String, String)]) async throws(FetchError) -> Int {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(url) }
        let body = fields.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        let origin = TransferJob.origin(of: url)
        let hop = Hop(url: url, origin: origin, number: 0)
        try await vet(hop, isFile: false, obeysRobots: false, hostGap: nil)
        let job = TransferJob(url: url, origin: origin, maxBodyBytes: Self.formAnswerLimit, truncatesAtCap: true,
                              hostGap: 0, accept: "*/*", formBody: body)
        return Response(try await perform(job)).status
    }

    private func perform(_ job: TransferJob) async throws(FetchError) -> RawResponse {
        try await engineResult(job).get()
    }

    /// What is read of the answer to a POST: hubs answer with a line or two.
    static let formAnswerLimit = 64 * 1024

    /// `application/x-www-form-urlencoded` (WHATWG URL §5.2): unreserved characters as they
    /// are, everything else percent-encoded.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "*-._")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
