import Foundation

/// Why a fetch failed, in terms a user understands. Every message names the URL.
public enum FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    case dns(URL, String)
    case connect(URL, String)
    case tls(URL, String)
    case timeout(URL)
    case tooLarge(URL, limit: Int)
    case tooManyRedirects(URL, limit: Int)
    case httpStatus(URL, Int)
    case robotsDisallowed(URL)
    /// robots.txt could not be read (5xx or unreachable), which RFC 9309 §2.3.1.4 reads as "disallow all".
    case robotsUnreachable(URL, String)
    case blockedAddress(URL, String)
    case unsupportedScheme(URL)
    /// 429 or 503: the host asked us to wait `retryAfter` seconds (clamped 1 min – 48 h);
    /// requests to that host fail with this error until then.
    case rateLimited(URL, status: Int, retryAfter: TimeInterval)
    /// The server's answer was not HTTP (garbage status line, oversized headers, broken framing).
    case invalidResponse(URL, String)
    /// The caller's task was cancelled before the transfer finished.
    case cancelled(URL)
    case other(URL, String)

    public var url: URL {
        switch self {
        case .dns(let u, _), .connect(let u, _), .tls(let u, _), .timeout(let u), .tooLarge(let u, _),
             .tooManyRedirects(let u, _), .httpStatus(let u, _), .robotsDisallowed(let u),
             .robotsUnreachable(let u, _), .blockedAddress(let u, _), .unsupportedScheme(let u),
             .rateLimited(let u, _, _), .invalidResponse(let u, _), .cancelled(let u), .other(let u, _):
            return u
        }
    }

    /// How long the host asked us to wait, when it did (429/503 with Retry-After).
    public var retryAfter: TimeInterval? {
        if case .rateLimited(_, _, let seconds) = self { return seconds }
        return nil
    }

    public var description: String {
        switch self {
        case .dns(let u, let m): return "\(u.absoluteString): host name not found (\(m))"
        case .connect(let u, let m): return "\(u.absoluteString): could not connect (\(m))"
        case .tls(let u, let m): return "\(u.absoluteString): TLS failed (\(m))"
        case .timeout(let u): return "\(u.absoluteString): timed out"
        case .tooLarge(let u, let limit): return "\(u.absoluteString): body larger than \(limit) bytes"
        case .tooManyRedirects(let u, let limit): return "\(u.absoluteString): more than \(limit) redirects"
        case .httpStatus(let u, let status): return "\(u.absoluteString): HTTP status \(status)"
        case .robotsDisallowed(let u): return "\(u.absoluteString): disallowed by robots.txt"
        case .robotsUnreachable(let u, let m): return "\(u.absoluteString): robots.txt unreachable (\(m)), so the site counts as disallowed"
        case .blockedAddress(let u, let m): return "\(u.absoluteString): refused address (\(m))"
        case .unsupportedScheme(let u): return "\(u.absoluteString): only http and https URLs can be fetched"
        case .rateLimited(let u, let status, let seconds):
            return "\(u.absoluteString): HTTP status \(status), the host asks to wait \(Int(seconds.rounded())) s"
        case .invalidResponse(let u, let m): return "\(u.absoluteString): not a valid HTTP response (\(m))"
        case .cancelled(let u): return "\(u.absoluteString): cancelled"
        case .other(let u, let m): return "\(u.absoluteString): \(m)"
        }
    }

    /// A short stable name for metrics and logs ("dns", "timeout", …).
    public var kind: String {
        switch self {
        case .dns: return "dns"
        case .connect: return "connect"
        case .tls: return "tls"
        case .timeout: return "timeout"
        case .tooLarge: return "too_large"
        case .tooManyRedirects: return "too_many_redirects"
        case .httpStatus: return "http_status"
        case .robotsDisallowed: return "robots"
        case .robotsUnreachable: return "robots_unreachable"
        case .blockedAddress: return "blocked_address"
        case .unsupportedScheme: return "scheme"
        case .rateLimited: return "rate_limited"
        case .invalidResponse: return "invalid_response"
        case .cancelled: return "cancelled"
        case .other: return "other"
        }
    }
}

extension FetchError {
    /// The same failure, naming another URL (a robots.txt failure reported for the page asked for).
    func naming(_ other: URL) -> FetchError {
        switch self {
        case .dns(_, let m): return .dns(other, m)
        case .connect(_, let m): return .connect(other, m)
        case .tls(_, let m): return .tls(other, m)
        case .timeout: return .timeout(other)
        case .tooLarge(_, let limit): return .tooLarge(other, limit: limit)
        case .tooManyRedirects(_, let limit): return .tooManyRedirects(other, limit: limit)
        case .httpStatus(_, let status): return .httpStatus(other, status)
        case .robotsDisallowed: return .robotsDisallowed(other)
        case .robotsUnreachable(_, let m): return .robotsUnreachable(other, m)
        case .blockedAddress(_, let m): return .blockedAddress(other, m)
        case .unsupportedScheme: return .unsupportedScheme(other)
        case .rateLimited(_, let status, let seconds): return .rateLimited(other, status: status, retryAfter: seconds)
        case .invalidResponse(_, let m): return .invalidResponse(other, "robots.txt: \(m)")
        case .cancelled: return .cancelled(other)
        case .other(_, let m): return .other(other, "robots.txt: \(m)")
        }
    }
}
