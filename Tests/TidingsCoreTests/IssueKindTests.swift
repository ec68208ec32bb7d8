import Foundation
import Testing
import TidingsCore

@Suite("Refresh issue kinds")
struct IssueKindTests {
    @Test("stable names: stage, then the failing module's own cause", arguments: [
        (IssueKind(.fetch, "timeout"), "fetch.timeout"),
        (IssueKind(.feed, "http_status"), "feed.http_status"),
        (IssueKind(.extract, "listingPage"), "extract.listingPage"),
        (IssueKind(.store), "store"),
        (IssueKind(.discovery, "none"), "discovery.none"),
    ])
    func names(kind: IssueKind, name: String) throws {
        #expect(kind.name == name)
        #expect(IssueKind(name: name) == kind)
        let json = try JSONEncoder().encode([kind])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(name)\"]")
        #expect(try JSONDecoder().decode([IssueKind].self, from: json) == [kind])
    }

    @Test("unknown stages are refused when read back", arguments: ["", "nonsense.x", ".timeout"])
    func unknown(name: String) {
        #expect(IssueKind(name: name) == nil)
        #expect((try? JSONDecoder().decode([IssueKind].self, from: Data("[\"\(name)\"]".utf8))) == nil)
    }

    @Test("health stored before kinds existed still reads, without a kind")
    func oldHealth() throws {
        let old = Data(#"{"consecutiveFailures":1,"consecutiveEmptyRuns":0,"articlesFoundLastRun":0,"lastError":"boom"}"#.utf8)
        let health = try JSONDecoder().decode(SourceHealth.self, from: old)
        #expect(health.lastError == "boom")
        #expect(health.lastErrorKind == nil)
    }
}
