import Fetching
import Foundation

/// Why a page could not be rendered, in terms a user understands. Every message names the URL.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    /// No Chromium at the configured path.
    case chromiumMissing(URL, executable: String)
    /// The page itself could not be fetched (its sub-requests may fail without failing it).
    case fetch(FetchError)
    /// The browser could not be started, exited or was killed while the page rendered.
    case browserFailed(URL, String)
    /// The browser did not answer a command in time; it is killed and restarted.
    case browserHung(URL, seconds: TimeInterval)
    /// The page's renderer process crashed (the browser itself lives on).
    case pageCrashed(URL)
    /// Network isolation was required and is not available here.
    case isolationUnavailable(URL, String)

    public var url: URL {
        switch self {
        case .chromiumMissing(let u, _), .browserFailed(let u, _), .browserHung(let u, _), .pageCrashed(let u),
             .isolationUnavailable(let u, _):
            return u
        case .fetch(let error): return error.url
        }
    }

    public var description: String {
        switch self {
        case .chromiumMissing(let u, let executable):
            return "\(u.absoluteString): cannot render, Chromium is not installed (\(executable) not found); "
                + "install it with `apt-get install chromium`, or remove `render` from the source"
        case .fetch(let error): return error.description
        case .browserFailed(let u, let detail): return "\(u.absoluteString): rendering failed, Chromium \(detail)"
        case .browserHung(let u, let seconds):
            return "\(u.absoluteString): rendering failed, Chromium did not answer within \(Int(seconds)) s and was restarted"
        case .pageCrashed(let u): return "\(u.absoluteString): rendering failed, the page crashed Chromium's renderer"
        case .isolationUnavailable(let u, let why): return "\(u.absoluteString): cannot render without network isolation (\(why))"
        }
    }

    /// A short stable name for metrics and logs; a fetch failure keeps the fetcher's.
    public var kind: String {
        switch self {
        case .chromiumMissing: return "chromium_missing"
        case .fetch(let error): return error.kind
        case .browserFailed: return "browser_failed"
        case .browserHung: return "browser_hung"
        case .pageCrashed: return "page_crashed"
        case .isolationUnavailable: return "isolation_unavailable"
        }
    }
}
