import Extraction
import Fetching
import Foundation
import TidingsCore

/// Loads a fixture as a server would send it and decodes it the way the Fetcher does.
enum Fixture {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }

    static func page(_ name: String, url: String) throws -> Page {
        let bytes = try data(name)
        let decoded = CharsetDecoder.decode(bytes, contentType: "text/html")
        let pageURL = URL(string: url)!
        return Page(requestedURL: pageURL, url: pageURL, text: decoded.text, charset: decoded.charset,
                    charsetReason: decoded.reason)
    }

    static func article(_ name: String, url: String, configuration: ExtractorConfiguration = .init()) throws -> Article {
        try Extractor(configuration: configuration).extract(try page(name, url: url)).get()
    }
}
