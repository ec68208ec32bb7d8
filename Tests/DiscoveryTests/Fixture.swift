import Foundation
import Fetching
import TidingsCore

/// Fixture files stored as the bytes a server sends, decoded the way the Fetcher decodes them.
enum Fixture {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// The bundled offline sample site (`feeds/sample-site`): one copy of its bytes serves the
    /// users' quick start and these tests.
    static let sampleSite = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("feeds/sample-site")

    /// A fixture file; `sample/…` names a file of the sample site.
    static func file(_ path: String) -> URL {
        if path.hasPrefix("sample/") { return sampleSite.appendingPathComponent(String(path.dropFirst("sample/".count))) }
        return directory.appendingPathComponent(path)
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: file(path))
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
