import Foundation
import Testing
import TidingsCore
@testable import Discovery

/// The labelled listing pages of Fixtures/listings: `<id>.html` as a server sends it and
/// `<id>.json` = {"url": page URL, "links": [true article links in page order], "feed"?: …}.
@Suite("Precision and recall of automatic discovery on labelled listing pages")
struct LabelledListingTests {
    struct Truth: Decodable {
        var url: String
        var links: [String]
        var feed: String?
        var layout: String?
    }

    /// Floors from issue #5; micro-averaged over all links of all pages.
    static let minimumPrecision = 0.95
    static let minimumRecall = 0.90

    static func pageIDs() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.appendingPathComponent("listings").path)
            .filter { $0.hasSuffix(".html") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func truth(_ id: String) throws -> Truth {
        try JSONDecoder().decode(Truth.self, from: try Fixture.data("listings/\(id).json"))
    }

    @Test("the labelled set holds at least 12 layouts")
    func size() throws {
        #expect(try Self.pageIDs().count >= 12)
    }

    @Test("discovered links reach 95% precision and 90% recall over the labelled set")
    func precisionAndRecall() throws {
        var found = 0, relevant = 0, correct = 0
        var lines: [String] = []
        for id in try Self.pageIDs() {
            let truth = try Self.truth(id)
            let page = try Fixture.page("listings/\(id).html", url: truth.url)
            let result = LinkDiscoverer().discover(page: page, limit: 200)
            let got = result.links.map(\.url.absoluteString)
            let hits = Set(got).intersection(truth.links).count
            found += got.count
            relevant += truth.links.count
            correct += hits
            lines.append("\(id): \(hits)/\(truth.links.count) found, \(got.count - hits) wrong")
            for extra in got where !truth.links.contains(extra) { lines.append("   + \(extra)") }
            for missed in truth.links where !got.contains(missed) { lines.append("   - \(missed)") }
        }
        let precision = Double(correct) / Double(max(found, 1))
        let recall = Double(correct) / Double(max(relevant, 1))
        let summary = String(format: "precision %.3f recall %.3f (%d correct of %d found, %d true links)",
                             precision, recall, correct, found, relevant)
        print("Discovery on labelled listings: " + summary + "\n" + lines.joined(separator: "\n"))
        #expect(precision >= Self.minimumPrecision, "\(summary)\n\(lines.joined(separator: "\n"))")
        #expect(recall >= Self.minimumRecall, "\(summary)\n\(lines.joined(separator: "\n"))")
    }

    @Test("links come in the page's order")
    func order() throws {
        for id in try Self.pageIDs() {
            let truth = try Self.truth(id)
            let page = try Fixture.page("listings/\(id).html", url: truth.url)
            let got = LinkDiscoverer().discover(page: page, limit: 200).links.map(\.url.absoluteString)
            let positions = truth.links.compactMap { got.firstIndex(of: $0) }
            #expect(positions == positions.sorted(), "\(id) order")
        }
    }

    @Test("pages that advertise a feed name it")
    func feeds() throws {
        for id in try Self.pageIDs() {
            let truth = try Self.truth(id)
            let page = try Fixture.page("listings/\(id).html", url: truth.url)
            #expect(LinkDiscoverer().discover(page: page, limit: 200).feedURL?.absoluteString == truth.feed, "\(id)")
        }
    }
}
