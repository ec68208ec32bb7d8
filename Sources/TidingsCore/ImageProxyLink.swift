import Crypto
import Foundation

/// The signed address of an image behind the daemon's proxy:
/// `<base_url>/img/<signature>/<payload>[.<ext>]`, where the payload is the source id and the
/// image URL (base64url, no padding) and the signature an HMAC-SHA256 of both under the key
/// of the state folder. Only URLs that Tidings itself put in a feed can be fetched through
/// it, so the proxy is no open relay; the key never changes, so published URLs keep working.
public struct ImageProxyLink: Sendable {
    /// The first path segment of every proxied image.
    public static let pathPrefix = "img"
    /// Bytes of HMAC kept in the URL: 128 bits is far beyond guessing over HTTP.
    static let signatureBytes = 16
    /// Extensions carried over from the image URL, so readers that go by the extension
    /// (and the writers' media type guess) still see an image.
    static let keptExtensions: Set<String> = ["jpg", "jpeg", "png", "gif", "webp", "avif"]

    private let key: SymmetricKey

    public init(key: some ContiguousBytes) {
        self.key = SymmetricKey(data: key)
    }

    /// The proxy URL of `image` for `sourceID` under `baseURL`.
    public func url(for image: URL, sourceID: String, baseURL: URL) -> URL? {
        let payload = Self.base64URL(Data((sourceID + "\n" + image.absoluteString).utf8))
        let ext = image.pathExtension.lowercased()
        let suffix = Self.keptExtensions.contains(ext) ? "." + ext : ""
        var base = baseURL.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        return URL(string: "\(base)\(Self.pathPrefix)/\(signature(sourceID: sourceID, image: image.absoluteString))/\(payload)\(suffix)")
    }

    /// The source id and image URL a request path's two segments stand for, when the signature
    /// is right; nil for anything forged, altered or malformed.
    public func verify(signature: String, payload segment: String) -> (sourceID: String, image: URL)? {
        let payload = segment.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        guard let data = Self.decodeBase64URL(payload), let text = String(data: data, encoding: .utf8),
              let newline = text.firstIndex(of: "\n") else { return nil }
        let sourceID = String(text[..<newline])
        let imageText = String(text[text.index(after: newline)...])
        guard let given = Self.decodeBase64URL(signature), given.count == Self.signatureBytes,
              let image = URL(string: imageText), let scheme = image.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { return nil }
        let expected = mac(sourceID: sourceID, image: imageText).prefix(Self.signatureBytes)
        // Constant time: the comparison must not tell how many leading bytes were right.
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0 ? (sourceID, image) : nil
    }

    func signature(sourceID: String, image: String) -> String {
        Self.base64URL(Data(mac(sourceID: sourceID, image: image).prefix(Self.signatureBytes)))
    }

    private func mac(sourceID: String, image: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data((sourceID + "\n" + image).utf8), using: key))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        guard !text.isEmpty, text.utf8.allSatisfy({ isBase64URL($0) }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
    }
}
