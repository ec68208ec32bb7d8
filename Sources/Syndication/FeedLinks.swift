import Foundation

/// Where the published files live: absolute URLs under the public base URL (for feeds,
/// whose links must be absolute) and relative references (for the index page and OPML
/// when no base URL is configured).
struct FeedLinks: Sendable {
    var baseURL: URL?
    /// The WebSub hub announced beside each feed's self link (`hub` in tidings.toml).
    var hub: URL?

    init(baseURL: URL?, hub: URL? = nil) {
        self.baseURL = baseURL
        self.hub = hub
    }

    var hubURL: String? { Self.webURL(hub) }

    /// Characters kept as they are in a file name used as a relative reference; `:` is
    /// left out so a name like `a:b.atom` is never read as a URL scheme.
    static let fileNameAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        set.insert(charactersIn: "-._~!$&'()*+,;=@")
        return set
    }()

    static func fileName(_ stem: String, _ format: FeedFormat) -> String {
        stem + "." + format.fileExtension
    }

    /// The absolute public URL of a published file, when a base URL is configured.
    func absolute(_ fileName: String) -> URL? {
        guard let baseURL, baseURL.scheme != nil else { return nil }
        let encoded = Self.relative(fileName)
        let base = baseURL.absoluteString.hasSuffix("/") ? baseURL.absoluteString : baseURL.absoluteString + "/"
        return URL(string: base + encoded)
    }

    /// A reference to a published file from a page in the same folder.
    static func relative(_ fileName: String) -> String {
        fileName.addingPercentEncoding(withAllowedCharacters: fileNameAllowed) ?? fileName
    }

    /// The absolute URL when known, else the relative reference.
    func reference(_ fileName: String) -> String {
        absolute(fileName)?.absoluteString ?? Self.relative(fileName)
    }

    /// Schemes a written feed or page may link to. Readers open entry links and load images
    /// as they are, so a `javascript:` or `data:` link would run in the reader and a `file:`
    /// one reach the reader's own disk, whatever page the URL came from.
    static let webSchemes: Set<String> = ["http", "https"]

    /// A URL fit for a feed: absolute http or https with a host, or nil.
    static func webURL(_ url: URL?) -> String? {
        guard let url else { return nil }
        let absolute = url.absoluteURL
        guard let scheme = absolute.scheme?.lowercased(), webSchemes.contains(scheme),
              let host = absolute.host, !host.isEmpty else { return nil }
        return absolute.absoluteString
    }
}
