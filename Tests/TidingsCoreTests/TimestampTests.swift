import Foundation
import Testing
import TestSupport
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

    @Test("broken date-times are refused", arguments: [
        "", "2023-06-17", "2023-13-40T25:00:00Z", "2023-02-30T10:00:00Z", "2023-06-17T24:10:00Z", "yesterday",
        "2023-06-17T02:27:18+0800x", "2023-06-17T02:27:18", "2023-06-17T02:27:18+24:00", "2023-06-17T02:27:18+08:60",
        "2023-06-17T02:60:00Z", "2023-06-17T02:27:61Z", "2023-06-17T02:27:18.Z", "٢٠٢٣-٠٦-١٧T02:27:18Z", "+2023-06-17T02:27:18Z",
        "2023-6-17T02:27:18Z", "2023-06-17T2:27:18Z", "2023-06-17T02:27:18 +08:00", "2023-06-17T02:27:18+8:00", " 2023-06-17T02:27:18Z",
        "2023-06-17T02:27:18+08:00\u{0}", "2023-06-17\u{0}02:27:18Z",
    ])
    func broken(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("the spellings RFC 3339 §5.6 and common writers use are read", arguments: [
        ("2023-06-17t02:27:18z", "2023-06-17T02:27:18Z"),
        ("2023-06-17 02:27+0800", "2023-06-17T02:27:00+08:00"),
        ("2023-06-17T02:27:18.123456789+05:45", "2023-06-17T02:27:18+05:45"),
        ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z"),   // a leap second is the next minute's start
        ("2024-02-29T12:00:00-00:00", "2024-02-29T12:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ])
    func spellings(text: String, expected: String) {
        #expect(Timestamp(rfc3339: text)?.rfc3339 == expected)
    }

    @Test("#11: an offset beyond ±18:00 cannot crash; beyond ±14:00 the moment is kept and printed in UTC", arguments: [
        ("2024-01-01T00:00:00+19:00", "2023-12-31T05:00:00Z"),
        ("2024-01-01T00:00:00-23:59", "2024-01-01T23:59:00Z"),
        ("2024-01-01T00:00:00+18:00", "2023-12-31T06:00:00Z"),
        ("2024-01-01T00:00:00+14:00", "2024-01-01T00:00:00+14:00"),
        ("2024-01-01T00:00:00-12:00", "2024-01-01T00:00:00-12:00"),
    ])
    func wideOffsets(text: String, expected: String) {
        #expect(Timestamp(rfc3339: text)?.rfc3339 == expected)
    }

    @Test("every moment printed as RFC 3339 reads back as the same moment and offset")
    func roundTrip() throws {
        var random = SeededRandom(seed: 3339)
        for _ in 0..<5000 {
            let seconds = Int.random(in: -62_135_510_400...253_402_214_399, using: &random)   // a day inside years 1–9999
            let offset = Int.random(in: -14 * 60...14 * 60, using: &random) * 60
            let t = Timestamp(date: Date(timeIntervalSince1970: Double(seconds)), offsetSeconds: offset)
            let back = try #require(Timestamp(rfc3339: t.rfc3339), "\(t.rfc3339)")
            #expect(back == t, "\(t.rfc3339)")
        }
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
