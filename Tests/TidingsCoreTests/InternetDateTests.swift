import Foundation
import Testing
import TestSupport
import TidingsCore

@Suite("Feed dates (RFC 822, RFC 3339, CMS text)")
struct FeedDateTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test("RSS and Atom spellings, with the source's zone where none is written", arguments: [
        ("Fri, 28 Nov 2025 09:30:00 +0800", "2025-11-28T09:30:00+08:00"),
        ("Fri, 28 Nov 2025 01:30:00 GMT", "2025-11-28T01:30:00Z"),
        ("28 Nov 2025 09:30 EST", "2025-11-28T09:30:00-05:00"),
        ("Friday, 28 November 25 09:30:00 -0330", "2025-11-28T09:30:00-03:30"),
        ("Fri, 28 Nov. 2025 09:30:00", "2025-11-28T09:30:00+08:00"),
        ("Fri, 28 Nov 2025 09:30:00 CEST", "2025-11-28T09:30:00+08:00"),   // a zone name RFC 822 does not know
        ("  2025-11-28T09:30:00Z\n", "2025-11-28T09:30:00Z"),
        ("2025-11-28 09:30:00", "2025-11-28T09:30:00+08:00"),
        ("2025年11月28日 09:30", "2025-11-28T09:30:00+08:00"),
        ("November 28, 2025", "2025-11-28T00:00:00+08:00"),
        ("Fri, 28 Nov 2025 09:30:00 +1900", "2025-11-27T14:30:00Z"),        // #11: no zone is that far east
    ])
    func spellings(text: String, expected: String) {
        #expect(FeedDate.parse(text, zone: Self.shanghai)?.rfc3339 == expected)
    }

    @Test("broken feed dates give nothing", arguments: [
        "", "   ", "Fri, 31 Feb 2025 09:30:00 +0800", "Fri, 28 Foo 2025 09:30:00 GMT", "soon", "Fri, 28 Nov 125 09:30:00 GMT",
        "0000", "Fri, 29 Feb 2025", "x",
    ])
    func broken(text: String) {
        #expect(FeedDate.parse(text, zone: Self.shanghai) == nil)
    }

    @Test("a feed date whose time or zone is broken keeps what is readable", arguments: [
        ("Fri, 28 Nov 2025 25:30:00 GMT", "2025-11-28T00:00:00+08:00"),
        ("Fri, 28 Nov 2025 09:61:00 GMT", "2025-11-28T00:00:00+08:00"),
        ("Fri, 28 Nov 2025 09:30:00 +2500", "2025-11-28T09:30:00+08:00"),
        ("2024-01-01T00:00:00+99:99", "2024-01-01T00:00:00+08:00"),
    ])
    func lenient(text: String, expected: String) {
        #expect(FeedDate.parse(text, zone: Self.shanghai)?.rfc3339 == expected)
    }
}

@Suite("HTTP dates (RFC 9110 §5.6.7)")
struct HTTPDateTests {
    static let moment = Date(timeIntervalSince1970: 784_111_777)   // Sun, 06 Nov 1994 08:49:37 GMT

    @Test("the three forms a recipient must accept", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Sun Nov 6 08:49:37 1994", " Sun, 06 Nov 1994 08:49:37 GMT ", "Sun, 6 Nov 1994 08:49:37 UTC",
    ])
    func forms(text: String) {
        #expect(HTTPDate.parse(text) == Self.moment)
    }

    @Test("IMF-fixdate is what we send, and it reads back")
    func format() {
        #expect(HTTPDate.format(Self.moment) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_780_000_000.9)) == "Thu, 28 May 2026 20:26:40 GMT")
        #expect(HTTPDate.parse(HTTPDate.format(Self.moment)) == Self.moment)
    }

    @Test("broken HTTP dates give nothing", arguments: [
        "", "Sun", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06-Nov-94 08:49 GMT", "Sun Nov 6 08:49:37", "06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun, 06 Xyz 1994 08:49:37 GMT", "120",
    ])
    func broken(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}

@Suite("Date output: one formatter")
struct DateFormattingTests {
    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test("RSS dates are RFC 822 in the timestamp's own offset, whatever the machine's locale")
    func rfc822() {
        #expect(Self.time("2023-06-17T02:27:18+08:00").formatted(.rfc822) == "Sat, 17 Jun 2023 02:27:18 +0800")
        #expect(Self.time("2023-01-01T00:00:00-03:30").formatted(.rfc822) == "Sun, 01 Jan 2023 00:00:00 -0330")
        #expect(Self.time("1970-01-01T00:00:00Z").formatted(.rfc822) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test("days, readable times and IMF-fixdates")
    func otherStyles() {
        let t = Self.time("2023-06-17T02:27:18+08:00")
        #expect(t.formatted(.day) == "2023-06-17")
        #expect(t.formatted(.readable) == "2023-06-17 02:27 +08:00")
        #expect(Self.time("2023-06-17T03:00:00Z").formatted(.readable) == "2023-06-17 03:00 UTC")
        #expect(t.formatted(.imfFixdate) == "Fri, 16 Jun 2023 18:27:18 GMT")
        #expect(Self.time("1969-12-31T23:59:59Z").formatted(.rfc3339) == "1969-12-31T23:59:59Z")
        #expect(Self.time("1600-02-29T00:00:00Z").formatted(.rfc822) == "Tue, 29 Feb 1600 00:00:00 +0000")
    }

    @Test("RFC 3339 §5.6: impossible offsets are printed in UTC and impossible years are refused")
    func printableTimes() {
        let moment = Date(timeIntervalSince1970: 1_686_940_038)           // 2023-06-16T18:27:18Z
        #expect(Timestamp(date: moment, offsetSeconds: 8 * 3600).printable?.rfc3339 == "2023-06-17T02:27:18+08:00")
        #expect(Timestamp(date: moment, offsetSeconds: 20 * 3600).printable?.rfc3339 == "2023-06-16T18:27:18Z")
        #expect(Timestamp(date: moment, offsetSeconds: 3601).printable?.rfc3339 == "2023-06-16T18:27:18Z")
        #expect(Timestamp(date: Date(timeIntervalSince1970: -70_000_000_000), offsetSeconds: 0).printable == nil)
        #expect(Timestamp(date: Date(timeIntervalSince1970: 300_000_000_000), offsetSeconds: 0).printable == nil)
        #expect(Timestamp(date: Date(timeIntervalSince1970: .infinity), offsetSeconds: 0).printable == nil)
    }

    @Test("moments and offsets no parser makes still print as well-formed text")
    func totalFormatting() {
        let far = Timestamp(date: Date(timeIntervalSince1970: 1e300), offsetSeconds: Int.max)
        #expect(far.rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(date: Date(timeIntervalSince1970: -.infinity), offsetSeconds: Int.min).formatted(.rfc822)
                == "Sat, 01 Jan 0000 00:00:00 +0000")
        #expect(Timestamp(date: Date(timeIntervalSince1970: .nan), offsetSeconds: 0).rfc3339.count == 20)
    }
}

@Suite("Date parsers under damaged input")
struct DamagedDateTests {
    static let samples = [
        "2024-01-01T00:00:00+19:00", "Fri, 28 Nov 2025 09:30:00 +0800", "Sun Nov  6 08:49:37 1994",
        "2023年06月17日 02:27", "الأربعاء، 07 أكتوبر 2020 12:19 م", "۱۴ مهر ۱۴۰۲", "/2023-06/17/c_1129.htm",
        "Sunday, 06-Nov-94 08:49:37 GMT", "12 كانون الثاني 2023", "June 17, 2023 at 9:30 -04:00",
    ]

    /// Bytes that steer the parsers: digits, separators, signs, letters of month names, multi-byte leads.
    static let alphabet: [String] = ["0", "9", "1", "2", ":", "-", "+", "/", ".", ",", " ", "T", "Z", "年", "月", "日",
                                     "\u{A0}", "\u{200C}", "،", "٩", "۹", "ماه", "كانون", "Nov", "de ", "\u{0}", "\u{FFFD}", "99"]

    @Test("a fraction of a second longer than an Int holds is skipped, not read (fuzz crash of the date target)")
    func longFraction() {
        let crash = "2023-06-17T02:27:18.44444444444444444447 14:23456Z"
        #expect(Timestamp(rfc3339: crash) == nil)
        let long = "2023-06-17T02:27:18." + String(repeating: "4", count: 40) + "Z"
        #expect(Timestamp(rfc3339: long)?.rfc3339 == "2023-06-17T02:27:18Z")
    }

    @Test("20,000 cut, spliced and garbled date strings go through every parser without a crash")
    func damaged() {
        var random = SeededRandom(seed: 11)
        let zones = [TimeZone(identifier: "Asia/Shanghai")!, TimeZone(identifier: "Pacific/Kiritimati")!, TimeZone(secondsFromGMT: 0)!]
        var parsed = 0
        for round in 0..<20_000 {
            var scalars = Array(Self.samples[round % Self.samples.count])
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: scalars.insert(contentsOf: Self.alphabet.randomElement(using: &random)!, at: at)
                case 1: if at < scalars.count { scalars.remove(at: at) }
                default: scalars = Array(scalars.prefix(at))
                }
            }
            let text = String(scalars)
            let zone = zones[round % zones.count]
            for found in DateScanner(text).all() + DateScanner(text, isURL: true).all() {
                #expect(found.timestamp(in: zone).printable != nil, "\(text)")
            }
            if let t = FeedDate.parse(text, zone: zone) { parsed += 1; #expect(abs(t.offsetSeconds) <= UTCOffset.widestSeconds) }
            if let t = Timestamp(rfc3339: text) { #expect(abs(t.offsetSeconds) <= UTCOffset.widestSeconds) }
            _ = HTTPDate.parse(text)
        }
        #expect(parsed > 1000, "the damage left too few readable dates to mean anything")
    }
}
