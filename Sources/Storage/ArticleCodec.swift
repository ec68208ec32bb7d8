import Foundation
import TidingsCore

/// The stored form of an `Article`: a compact binary record (format byte, then the fields in
/// a fixed order) compressed with zlib. JSON was a third of the database and its decoding
/// most of the cost of reading entries back.
enum ArticleCodec {
    static let format: UInt8 = 1

    static func encode(_ article: Article) -> [UInt8]? {
        var w = ByteWriter()
        w.bytes.reserveCapacity(article.html.utf8.count + article.text.utf8.count + 512)
        w.bytes.append(format)
        w.string(article.url.absoluteString)
        w.string(article.canonicalURL.absoluteString)
        w.string(article.title)
        w.optional(article.author)
        if let published = article.published {
            w.bytes.append(1)
            w.uint64(published.date.timeIntervalSince1970.bitPattern)
            w.varint(UInt64(bitPattern: Int64(published.offsetSeconds)))
        } else {
            w.bytes.append(0)
        }
        w.optional(article.outlet)
        w.optional(article.language)
        w.optional(article.leadImage?.absoluteString)
        w.string(article.html)
        w.string(article.text)
        w.string(article.summary)
        if let keywords = article.keywords {
            w.bytes.append(1)
            w.varint(UInt64(keywords.count))
            for keyword in keywords { w.string(keyword) }
        } else {
            w.bytes.append(0)
        }
        if let fingerprint = article.fingerprint {
            w.bytes.append(1)
            w.uint64(fingerprint)
        } else {
            w.bytes.append(0)
        }
        return BlobCompression.compress(w.bytes)
    }

    /// The article, or nil when the blob is damaged.
    static func decode(_ blob: Data) -> Article? {
        let raw: [UInt8]? = blob.withUnsafeBytes { BlobCompression.decompress($0) }
        guard let raw else { return nil }
        return raw.withUnsafeBytes { decode(record: $0) }
    }

    private static func decode(record: UnsafeRawBufferPointer) -> Article? {
        var r = ByteReader(record)
        guard r.byte() == format,
              let url = r.string().flatMap(URL.init(string:)),
              let canonical = r.string().flatMap(URL.init(string:)),
              let title = r.string(),
              let author = r.optional(),
              let hasPublished = r.byte() else { return nil }
        var published: Timestamp?
        if hasPublished == 1 {
            guard let bits = r.uint64(), let offset = r.varint() else { return nil }
            let seconds = Int64(bitPattern: offset)
            guard abs(seconds) < 48 * 3600 else { return nil }
            published = Timestamp(date: Date(timeIntervalSince1970: Double(bitPattern: bits)), offsetSeconds: Int(seconds))
        } else if hasPublished != 0 {
            return nil
        }
        guard let outlet = r.optional(), let language = r.optional(), let image = r.optional(),
              let html = r.string(), let text = r.string(), let summary = r.string(),
              let hasKeywords = r.byte() else { return nil }
        var keywords: [String]?
        if hasKeywords == 1 {
            guard let count = r.varint(), count <= UInt64(record.count) else { return nil }
            var list: [String] = []
            for _ in 0..<count {
                guard let keyword = r.string() else { return nil }
                list.append(keyword)
            }
            keywords = list
        }
        guard let hasFingerprint = r.byte() else { return nil }
        var fingerprint: UInt64?
        if hasFingerprint == 1 {
            guard let value = r.uint64() else { return nil }
            fingerprint = value
        }
        var article = Article(url: url, canonicalURL: canonical, title: title, author: author, published: published,
                              outlet: outlet, language: language, leadImage: image.flatMap(URL.init(string:)),
                              html: html, text: text, summary: summary)
        article.keywords = keywords
        article.fingerprint = fingerprint
        return article
    }
}
