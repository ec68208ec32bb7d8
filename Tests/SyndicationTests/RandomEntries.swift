import Foundation
import TestSupport
import TidingsCore

/// Random entries made of the text that breaks naive feed writers.
struct RandomEntries {
    var generator: SeededRandom

    /// Pieces scraped text is made of, hostile ones included.
    static let pieces: [String] = [
        "news", "Breaking", "update", " ", "  ", "\t", "\n", "\r\n", "\r",
        "\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}[31m", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}",
        "]]>", "<![CDATA[", "]]]]><![CDATA[>", "&nbsp;", "&amp;nbsp;", "&", "&amp;", "&#0;", "&#xD800;", "&#x1F600;",
        "&bogus;", "&#12345678901;", "<script>alert(1)</script>", "<b>bold</b>", "\"quoted\"", "'single'", "<", ">",
        "👩‍👩‍👧‍👦", "🇨🇳", "😀", "مرحبا بالعالم", "שלום עולם", "\u{202E}RTL override", "\u{200F}", "\u{200D}",
        "新闻报道", "长沙地铁", "國際新聞", "日本語のニュース", "한국어 뉴스", "\u{FEFF}",
        "\u{00A0}", "\u{3000}", "\u{E000}", "e\u{301}",
        // Noncharacters (U+FFFE, U+FFFF, U+FDD0, U+1FFFE, U+10FFFF): legal in a Swift string, not in a feed.
        scalars(0xFFFE, 0xFFFF, 0xFDD0, 0x1FFFE, 0x10FFFF),
        // Bytes that are not UTF-8, as a lenient decoder turns them into text: lone surrogates,
        // overlong forms, stray continuation bytes.
        String(decoding: [0xED, 0xA0, 0x80], as: UTF8.self), String(decoding: [0xED, 0xBF, 0xBF], as: UTF8.self),
        String(decoding: [0xC0, 0xAF], as: UTF8.self), String(decoding: [0xFF, 0xFE, 0x80], as: UTF8.self),
    ]

    static func scalars(_ values: UInt32...) -> String {
        String(String.UnicodeScalarView(values.compactMap(Unicode.Scalar.init)))
    }

    static let languages: [String?] = [nil, "zh-CN", "en", "ar", "he", "zh_TW", "", "not a tag!", "x-klingon-1234567890"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    mutating func text(maxPieces: Int) -> String {
        let count = int(0...maxPieces)
        var result = ""
        for _ in 0..<count { result += Self.pieces.randomElement(using: &generator)! }
        return result
    }

    /// Sometimes empty, usually a few hostile pieces.
    mutating func field(maxPieces: Int = 12) -> String {
        chance(5) ? "" : text(maxPieces: maxPieces)
    }

    /// Like `field`, and sometimes thousands of characters long.
    mutating func title() -> String {
        chance(5) ? String(repeating: text(maxPieces: 3) + "很长的标题 very long title ", count: int(20...200)) : field()
    }

    mutating func timestamp() -> Timestamp {
        let seconds = Double(int(946_684_800...1_900_000_000))            // 2000 … 2030
        let offset = int(-48...56) * 15 * 60                               // −12:00 … +14:00 in quarter hours
        if chance(2) {
            // What a misparsed page date can look like: impossible offsets and years.
            let odd = [3601, 20 * 3600, -(15 * 3600), 59]
            let years = [-70_000_000_000.0, 300_000_000_000.0, seconds]
            return Timestamp(date: Date(timeIntervalSince1970: years.randomElement(using: &generator)!),
                             offsetSeconds: odd.randomElement(using: &generator)!)
        }
        return Timestamp(date: Date(timeIntervalSince1970: seconds), offsetSeconds: offset)
    }

    mutating func url(host: String) -> URL {
        var components = URLComponents()
        components.scheme = "https"
        components.host = host
        components.path = "/" + text(maxPieces: 3).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(String.init).joined()
            + "/\(int(0...1_000_000)).html"
        if chance(30) { components.query = "id=\(int(0...999))&from=" + text(maxPieces: 2) }
        return components.url ?? URL(string: "https://\(host)/fallback-\(int(0...1_000_000)).html")!
    }

    mutating func entry(source: Source, sequence: Int) -> FeedEntry {
        let url = url(host: source.url.host!)
        let firstSeen = timestamp()
        let article = Article(
            url: url, canonicalURL: chance(20) ? self.url(host: source.url.host!) : nil,
            title: title(), author: chance(50) ? field(maxPieces: 4) : nil,
            published: chance(70) ? timestamp() : nil, outlet: chance(40) ? field(maxPieces: 3) : nil,
            language: Self.languages.randomElement(using: &generator)!,
            leadImage: chance(40) ? self.url(host: "img.example.net") : nil,
            html: chance(90) ? "<p>" + field(maxPieces: 30) + "</p>" : "", text: field(maxPieces: 30),
            summary: chance(50) ? field(maxPieces: 8) : "")
        let id = EntryIdentity.tagURI(canonicalURL: url, firstSeen: firstSeen.date) + "#\(sequence)"
        return FeedEntry(id: id, sourceID: source.id, article: article, firstSeen: firstSeen,
                         updated: chance(50) ? firstSeen : timestamp())
    }
}
