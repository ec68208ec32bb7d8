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
    case blockedAddress(URL, String)
    case unsupportedScheme(URL)
    case other(URL, String)

    public var url: URL {
        switch self {
        case .dns(let u, _), .connect(let u, _), .tls(let u, _), .timeout(let u), .tooLarge(let u, _),
             .tooManyRedirects(let u, _), .httpStatus(let u, _), .robotsDisallowed(let u),
             .blockedAddress(let u, _), .unsupportedScheme(let u), .other(let u, _):
            return u
        }
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
        case .blockedAddress(let u, let m): return "\(u.absoluteString): refused address (\(m))"
        case .unsupportedScheme(let u): return "\(u.absoluteString): only http and https URLs can be fetched"
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
        case .blockedAddress: return "blocked_address"
        case .unsupportedScheme: return "scheme"
        case .other: return "other"
        }
    }
}
