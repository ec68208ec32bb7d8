import Foundation

/// What a fetched body reads as: text in the charset chosen for it (a gzip file inflated first).
public struct DecodedBody: Sendable, Hashable {
    public var text: String
    public var charset: String
    /// Why that charset (`CharsetDecoder.Decoded.reason`).
    public var reason: String
    /// Body bytes after a gzip file was inflated.
    public var byteCount: Int

    public init(text: String, charset: String, reason: String, byteCount: Int) {
        self.text = text
        self.charset = charset
        self.reason = reason
        self.byteCount = byteCount
    }
}

/// A body that could not be read.
public enum BodyReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A gzip file that inflates past the body limit.
    case tooLarge
    /// A gzip file that does not inflate.
    case brokenGzip(String)
    /// The reader itself failed on these bytes (its worker crashed or hung).
    case unreadable(String)

    public var description: String {
        switch self {
        case .tooLarge: return "larger than the limit once inflated"
        case .brokenGzip(let cause): return "a gzip file that does not decompress (\(cause))"
        case .unreadable(let cause): return cause
        }
    }
}

/// Where a Fetcher parses the bytes it fetched: a gzip file inflated, the charset sniffed and
/// decoded (uchardet, iconv), robots.txt read. `InProcessBodyReader` does it in this process;
/// a daemon passes one that does it in a worker process (Isolation's `WorkerPageReader`), so
/// that no outside bytes are parsed in the daemon itself.
public protocol BodyReader: Sendable {
    func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure>
    func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure>
}

/// Reads bodies in the calling process.
public struct InProcessBodyReader: BodyReader {
    public init() {}

    public func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure> {
        Self.decodedBody(body, contentType: contentType, url: url, limit: limit)
    }

    public func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure> {
        .success(Self.robotsRules(body, productToken: productToken))
    }

    /// The reading itself, the same wherever it runs.
    public static func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) -> Result<DecodedBody, BodyReadFailure> {
        var bytes = body
        if GzipBody.isGzipFile(bytes, contentType: contentType, url: url) {
            switch GzipBody.inflate(bytes, limit: limit) {
            case .success(let inflated): bytes = inflated
            case .failure(.tooLarge): return .failure(.tooLarge)
            case .failure(.broken(let cause)): return .failure(.brokenGzip(cause))
            }
        }
        let decoded = CharsetDecoder.decode(bytes, contentType: contentType)
        return .success(DecodedBody(text: decoded.text, charset: decoded.charset, reason: decoded.reason, byteCount: bytes.count))
    }

    public static func robotsRules(_ body: [UInt8], productToken: String) -> RobotsRules {
        RobotsRules(parsing: String(decoding: body, as: UTF8.self), productToken: productToken)
    }
}
