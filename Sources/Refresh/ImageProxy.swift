import Fetching
import Foundation
import Logging
import Storage
import TidingsCore

/// What the daemon's server sends for one `/img/…` request.
public struct ImageAnswer: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    static func refusal(_ status: Int, _ text: String) -> ImageAnswer {
        ImageAnswer(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                    body: Array((text + "\n").utf8))
    }
}

/// Serves the images that `ImageLinkRewriter` put behind the proxy: checks the signature,
/// answers from the disk cache, else fetches the image the way the source's pages are
/// fetched (its Referer, headers and cookies; every address and robots.txt rule), checks
/// that the bytes are an image of an allowed type and not too large, and caches it.
struct ImageProxy: Sendable {
    let link: ImageProxyLink
    let cache: ImageCache
    let configuration: ImageProxyConfiguration
    let logger: Logger

    /// `Accept` of image requests: the formats passed on, best first (as browsers send it).
    static let accept = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"
    /// Readers may keep a proxied image a day; the URL never changes its meaning.
    static let cacheControl = "public, max-age=86400"

    func answer(signature: String, payload: String, ifNoneMatch: String?, source: (String) -> Source?,
                fetcher: Fetcher, now: Date) async -> ImageAnswer {
        guard let (sourceID, image) = link.verify(signature: signature, payload: payload) else {
            return .refusal(404, "not an image URL of this server")
        }
        let cached = cache.entry(for: signature)
        if let cached, now.timeIntervalSince1970 - cached.fetchedAt < configuration.freshFor {
            return reply(cached, ifNoneMatch: ifNoneMatch)
        }
        let site = source(sourceID)
        var request = FetchRequest(url: image)
        if let site {
            request.headers = site.fetch.headers
            request.cookies = site.fetch.cookies
            // Hotlink protection wants a page of the site itself: the configured Referer, else the source's page.
            request.referer = site.fetch.referer ?? (site.url.isFileURL ? nil : site.url.absoluteString)
            request.obeysRobots = site.fetch.obeysRobots
            request.hostGap = site.fetch.hostGap
        }
        let fetched: FetchedBytes
        do {
            fetched = try await fetcher.fetchBytes(request, accept: Self.accept, limit: configuration.maxImageBytes)
        } catch {
            logger.warning("proxied image not fetched", metadata: ["source.id": "\(sourceID)", "url": "\(image.absoluteString)",
                                                                   "error": "\(error)"])
            if let cached { return reply(cached, ifNoneMatch: ifNoneMatch) }   // stale beats broken
            if case .httpStatus(_, let status) = error, status == 404 || status == 410 {
                return .refusal(404, "the image is gone from its site (HTTP \(status))")
            }
            return .refusal(502, "the image could not be fetched: \(error)")
        }
        guard let type = ImageType.sniff(fetched.body) else {
            logger.warning("proxied URL is not an image", metadata: ["source.id": "\(sourceID)", "url": "\(image.absoluteString)",
                                                                     "content.type": "\(fetched.contentType ?? "none")"])
            return .refusal(502, "the site did not send a JPEG, PNG, GIF, WebP or AVIF image")
        }
        let entry = ImageCache.Entry(contentType: type.mediaType, etag: "\"\(BodyHash.of(fetched.body))\"",
                                     fetchedAt: now.timeIntervalSince1970, body: Data(fetched.body))
        do {
            try cache.store(entry, for: signature)
        } catch {
            logger.error("proxied image not cached", metadata: ["error": "\(error)"])
        }
        return reply(entry, ifNoneMatch: ifNoneMatch)
    }

    private func reply(_ entry: ImageCache.Entry, ifNoneMatch: String?) -> ImageAnswer {
        var headers = [("Content-Type", entry.contentType), ("Cache-Control", Self.cacheControl), ("ETag", entry.etag),
                       ("X-Content-Type-Options", "nosniff")]
        if let ifNoneMatch, Self.matches(ifNoneMatch, entry.etag) {
            headers.removeAll { $0.0 == "Content-Type" }
            return ImageAnswer(status: 304, headers: headers, body: [])
        }
        headers.append(("Content-Length", String(entry.body.count)))
        return ImageAnswer(status: 200, headers: headers, body: [UInt8](entry.body))
    }

    /// RFC 9110 §13.1.2: `*` or a list of tags, compared weakly.
    static func matches(_ header: String, _ etag: String) -> Bool {
        let tags = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let bare = { (tag: String) in tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
        return tags.contains { $0 == "*" || bare($0) == bare(etag) }
    }
}
