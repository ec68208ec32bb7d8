import Foundation

/// The media type of an image, guessed from the extension of its URL path.
enum MediaTypeGuess {
    static let imageTypes: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "jfif": "image/jpeg",
        "png": "image/png", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "svg": "image/svg+xml", "bmp": "image/bmp", "ico": "image/x-icon",
        "tif": "image/tiff", "tiff": "image/tiff", "heic": "image/heic",
    ]

    /// Used when the path has no known extension: news CDNs serving lead images from
    /// extension-less URLs (`/img?id=…`) answer with JPEG far more often than anything else.
    static let fallbackImageType = "image/jpeg"

    static func imageType(of url: URL) -> String {
        imageTypes[url.pathExtension.lowercased()] ?? fallbackImageType
    }
}
