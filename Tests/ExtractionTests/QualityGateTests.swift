import Foundation
import Testing
import Fetching
import TidingsCore
@testable import Extraction

/// Runs the extractor over the bench corpus (../shared/bench/corpus next to the repository)
/// and fails when a set falls below its pinned floor. Scoring follows ../shared/bench/score.py:
/// bag-of-tokens F1 (one token per CJK character, else runs of letters and digits, NFKC +
/// case-folded), date = same calendar day, author = same set of names. Not timed.
/// Floors sit a little under what a debug build measured; raise them as the extractor improves.
@Suite("Quality gate on the bench corpus", .enabled(if: QualityGate.corpus != nil, "the bench corpus is not next to the repository"))
struct QualityGateTests {
    struct Floor {
        var f1: Double?
        var date: Double?
        var author: Double?
        var title: Double?
    }

    /// Measured (debug build, dev split): scrapinghub F1 97.7; cwce_zh F1 94.0, date 91.7, author 61.8;
    /// htmldate_mc date 90.5; seed all fields right.
    static let floors: [String: Floor] = [
        "scrapinghub": Floor(f1: 0.97),
        "cwce_zh": Floor(f1: 0.93, date: 0.90, author: 0.58),
        "htmldate_mc": Floor(date: 0.89),
        "seed": Floor(f1: 0.99, date: 1, author: 1, title: 1),
    ]

    @Test("every set stays above its pinned F1, date, author and title floors", arguments: ["scrapinghub", "cwce_zh", "htmldate_mc", "seed"])
    func setStaysAboveFloor(set: String) throws {
        let corpus = try #require(QualityGate.corpus)
        let score = try QualityGate.score(set: corpus.appendingPathComponent(set))
        let floor = try #require(Self.floors[set])
        print("quality gate \(set): \(score)")
        if let f1 = floor.f1 { #expect(score.f1 >= f1, "\(set) F1 \(score.f1) fell below \(f1)") }
        if let date = floor.date { #expect(score.date >= date, "\(set) date accuracy \(score.date) fell below \(date)") }
        if let author = floor.author { #expect(score.author >= author, "\(set) author accuracy \(score.author) fell below \(author)") }
        if let title = floor.title { #expect(score.title >= title, "\(set) title accuracy \(score.title) fell below \(title)") }
    }
}

enum QualityGate {
    /// `<repo>/../shared/bench/corpus`, found from this file's path.
    static var corpus: URL? {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = repo.deletingLastPathComponent().appendingPathComponent("shared/bench/corpus")
        return FileManager.default.fileExists(atPath: corpus.path) ? corpus : nil
    }

    struct Score: CustomStringConvertible {
        var f1 = 0.0, date = 0.0, author = 0.0, title = 0.0
        var description: String {
            String(format: "F1 %.3f, date %.3f, author %.3f, title %.3f", f1, date, author, title)
        }
    }

    static func score(set: URL) throws -> Score {
        let files = try FileManager.default.contentsOfDirectory(atPath: set.path).filter { $0.hasSuffix(".json") }.sorted()
        var f1s: [Double] = [], dates: [Bool] = [], authors: [Bool] = [], titles: [Bool] = []
        for name in files {
            let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: set.appendingPathComponent(name))) as? [String: Any] ?? [:]
            let html = set.appendingPathComponent(String(name.dropLast(5)) + ".html")
            let bytes = try Data(contentsOf: html)
            let url = (truth["url"] as? String).flatMap(URL.init(string:)) ?? URL(string: "http://example.invalid/\(name)")!
            let decoded = CharsetDecoder.decode(bytes, contentType: nil)
            let article: Article?
            switch Extractor().extract(html: decoded.text, url: url) {
            case .success(let a): article = a
            case .failure(let failure): article = failure.metadata  // declared date/author still count, as in score.py
            }
            if let text = truth["text"] as? String, !text.isEmpty { f1s.append(f1(article?.text ?? "", text)) }
            if let date = truth["date"] as? String, !date.isEmpty { dates.append(sameDay(article?.published, date)) }
            if let author = truth["author"] as? String, !author.isEmpty { authors.append(names(article?.author) == names(author)) }
            if let title = truth["title"] as? String, !title.isEmpty { titles.append(article?.title == title) }
        }
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 1 : xs.reduce(0, +) / Double(xs.count) }
        func rate(_ xs: [Bool]) -> Double { mean(xs.map { $0 ? 1 : 0 }) }
        return Score(f1: mean(f1s), date: rate(dates), author: rate(authors), title: rate(titles))
    }

    static func tokens(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var word = ""
        func flush() { if !word.isEmpty { counts[word, default: 0] += 1; word = "" } }
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        for scalar in folded.unicodeScalars {
            let v = scalar.value
            let isCJK = (0x1100...0x11FF).contains(v) || (0x3040...0x30FF).contains(v) || (0x3130...0x318F).contains(v)
                || (0x31F0...0x31FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
                || (0xAC00...0xD7AF).contains(v) || (0xF900...0xFAFF).contains(v) || (0x20000...0x2FA1F).contains(v)
            if isCJK {
                flush()
                counts[String(scalar), default: 0] += 1
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return counts
    }

    static func f1(_ predicted: String, _ truth: String) -> Double {
        let p = tokens(predicted), t = tokens(truth)
        let overlap = p.reduce(0) { $0 + min($1.value, t[$1.key] ?? 0) }
        let np = p.values.reduce(0, +), nt = t.values.reduce(0, +)
        guard np > 0, nt > 0, overlap > 0 else { return 0 }
        let precision = Double(overlap) / Double(np), recall = Double(overlap) / Double(nt)
        return 2 * precision * recall / (precision + recall)
    }

    /// Same calendar day; the prediction is shifted to the truth's offset when the truth has one.
    static func sameDay(_ predicted: Timestamp?, _ truth: String) -> Bool {
        guard let predicted else { return false }
        let day = truth.prefix(10)
        var offset = predicted.offsetSeconds
        if let truthStamp = Timestamp(rfc3339: truth) { offset = truthStamp.offsetSeconds }
        let shifted = Timestamp(date: predicted.date, offsetSeconds: offset).rfc3339
        return shifted.prefix(10) == day
    }

    static func names(_ value: String?) -> Set<String> {
        let separators = CharacterSet(charactersIn: " \t\n,，;；、&/|")
        return Set((value ?? "").precomposedStringWithCompatibilityMapping.lowercased()
            .components(separatedBy: separators).filter { !$0.isEmpty })
    }
}
