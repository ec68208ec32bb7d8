import Foundation
import Testing
import TidingsCore

@Suite("Timestamp")
struct TimestampTests {
    @Test("RFC 3339 keeps the offset the page was written in")
    func roundTripWithOffset() throws {
        let t = try #require(Timestamp(rfc3339: "2023-06-17T02:27:18+08:00"))
        #expect(t.offsetSeconds == 8 * 3600)
        #expect(t.rfc3339 == "2023-06-17T02:27:18+08:00")
        #expect(t.date.timeIntervalSince1970 == 1_686_940_038)
    }

    @Test("UTC prints as Z, negative offsets with a minus sign")
    func zones() throws {
        #expect(Timestamp(rfc3339: "2020-01-02T03:04:05Z")?.rfc3339 == "2020-01-02T03:04:05Z")
        #expect(Timestamp(rfc3339: "2020-01-02T03:04:05.250-05:30")?.rfc3339 == "2020-01-02T03:04:05-05:30")
    }

    @Test("broken date-times are refused", arguments: ["", "2023-06-17", "2023-13-40T25:00:00Z", "2023-02-30T10:00:00Z", "2023-06-17T24:10:00Z", "yesterday", "2023-06-17T02:27:18+0800x"])
    func broken(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}

@Suite("Entry identity")
struct EntryIdentityTests {
    @Test("tag URIs follow RFC 4151: authority, date, specific part")
    func tagURI() throws {
        let url = try #require(URL(string: "https://News.Example.com/a/b.html?id=3"))
        let date = Date(timeIntervalSince1970: 1_686_940_038)
        #expect(EntryIdentity.tagURI(canonicalURL: url, firstSeen: date) == "tag:news.example.com,2023-06-16:/a/b.html?id=3")
    }

    @Test("an explicit port leads the specific part, so two sites on one host get different ids")
    func port() throws {
        let a = try #require(URL(string: "http://127.0.0.1:8080/a.html"))
        let b = try #require(URL(string: "http://127.0.0.1:9090/a.html"))
        let day = Date(timeIntervalSince1970: 0)
        #expect(EntryIdentity.tagURI(canonicalURL: a, firstSeen: day) == "tag:127.0.0.1,1970-01-01:8080/a.html")
        #expect(EntryIdentity.tagURI(canonicalURL: a, firstSeen: day) != EntryIdentity.tagURI(canonicalURL: b, firstSeen: day))
    }

    @Test("non-ASCII paths are percent-encoded")
    func nonASCII() throws {
        let url = try #require(URL(string: "https://example.com/%E6%96%B0%E9%97%BB.html"))
        let id = EntryIdentity.tagURI(canonicalURL: url, firstSeen: Date(timeIntervalSince1970: 0))
        #expect(id == "tag:example.com,1970-01-01:/%E6%96%B0%E9%97%BB.html")
    }
}
