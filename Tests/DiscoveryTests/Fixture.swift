import Foundation
import Fetching
import TidingsCore

/// Fixture files stored as the bytes a server sends, decoded the way the Fetcher decodes them.
enum Fixture {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(path))
    }

    /// The fixture as a fetched page served from `url`.
    static func page(_ path: String, url: String, contentType: String? = nil) throws -> Page {
        let bytes = try data(path)
        let decoded = CharsetDecoder.decode(bytes, contentType: contentType)
        let pageURL = URL(string: url)!
        return Page(requestedURL: pageURL, url: pageURL, contentType: contentType, text: decoded.text,
                    charset: decoded.charset, charsetReason: decoded.reason, byteCount: bytes.count)
    }
}
