import Foundation
import Testing
import TidingsCore

@Suite("Dates in text, metadata and URLs")
struct DateScannerTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let utc = TimeZone(identifier: "UTC")!

    @Test("written dates resolve to RFC 3339 with the source's offset", arguments: [
        ("时间:2023-06-17 02:27:18", "2023-06-17T02:27:18+08:00"),
        ("2023年06月17日 02:27", "2023-06-17T02:27:00+08:00"),
        ("2005年3月21日10:27 来源：新华网", "2005-03-21T10:27:00+08:00"),
        ("2023/06/17", "2023-06-17T00:00:00+08:00"),
        ("2023-06-17T09:30:00-04:00", "2023-06-17T09:30:00-04:00"),
        ("2020-01-02T10:00:00Z", "2020-01-02T10:00:00Z"),
        ("June 17, 2023 at 9:30", "2023-06-17T09:30:00+08:00"),
        ("Published 17 Jun 2023", "2023-06-17T00:00:00+08:00"),
        ("发布时间：2022年1月27日　星期四", "2022-01-27T00:00:00+08:00"),
        ("17 de marzo de 2020", "2020-03-17T00:00:00+08:00"),
        ("Publié le 17 mars 2020 à 10h", "2020-03-17T00:00:00+08:00"),
        ("17.03.2020 10:15", "2020-03-17T10:15:00+08:00"),
        ("17 марта 2020", "2020-03-17T00:00:00+08:00"),
        ("22/11/2020 - 04:30 - Fonte: Agência", "2020-11-22T04:30:00+08:00"),
        ("11/22/2020", "2020-11-22T00:00:00+08:00"),
        ("الأربعاء، 07 أكتوبر 2020 12:19 م", "2020-10-07T12:19:00+08:00"),
        ("7 жовтня 2020", "2020-10-07T00:00:00+08:00"),
        ("07 Ekim 2020", "2020-10-07T00:00:00+08:00"),
        // the date hints Discovery reads next to links
        ("[2025-11-28]", "2025-11-28T00:00:00+08:00"),
        ("发布时间：2025年11月27日 16:05", "2025-11-27T16:05:00+08:00"),
        ("2025/11/28 10:30", "2025-11-28T10:30:00+08:00"),
        ("17\u{A0}Jun\u{A0}2023", "2023-06-17T00:00:00+08:00"),
        // dotted two-digit years (German bylines)
        ("Von: Björn Jahner | 31.10.23", "2023-10-31T00:00:00+08:00"),
        ("10.11.15 11:26 UTC", "2015-11-10T11:26:00+08:00"),
        ("28.09.98", "1998-09-28T00:00:00+08:00"),
        // a comma after the month name
        ("19 Dec, 2025", "2025-12-19T00:00:00+08:00"),
        ("Posted 3 March, 2021 10:05", "2021-03-03T10:05:00+08:00"),
    ])
    func writtenDates(text: String, expected: String) throws {
        let found = try #require(DateScanner.first(in: text))
        #expect(found.timestamp(in: Self.shanghai).rfc3339 == expected)
    }

    @Test("Arabic month names of Egypt, the Levant and the Maghreb, with Arabic-Indic digits", arguments: [
        ("نشر في ١٥ مارس ٢٠٢٤", "2024-03-15"),
        ("الخميس 3 إبريل 2025", "2025-04-03"),
        ("12 كانون الثاني 2023", "2023-01-12"),
        ("5 تشرين الأول 2022 - 10:30", "2022-10-05"),
        ("حزيران 14، 2021", "2021-06-14"),
        ("نُشر بتاريخ: 20 أيلول 2019", "2019-09-20"),
        ("1 جويلية 2024", "2024-07-01"),
        ("18 غشت 2023", "2023-08-18"),
        ("9 يونيه 2020", "2020-06-09"),
    ])
    func arabicMonths(text: String, day: String) throws {
        let found = try #require(DateScanner.first(in: text))
        #expect(found.timestamp(in: Self.utc).formatted(.day) == day)
    }

    @Test("Persian pages: Gregorian months in Persian, Solar Hijri months and Persian digits", arguments: [
        ("۱۴ اکتبر ۲۰۲۳", "2023-10-14"),
        ("۲۲ ژوئن ۲۰۲۴", "2024-06-22"),
        ("۱۴ مهر ۱۴۰۲", "2023-10-06"),               // 14 Mehr 1402
        ("تاریخ انتشار: ۱ فروردین ۱۴۰۳", "2024-03-20"),  // Nowruz 1403
        ("۲۳ آبان\u{200C}ماه ۱۴۰۲", "2023-11-14"),
        ("۱۰ دی ۱۴۰۱ - ۱۴:۳۰", "2022-12-31"),
        ("۱۴۰۲/۰۷/۱۴", "2023-10-06"),
        ("انتشار ۱ اسفند 1399", "2021-02-19"),
    ])
    func persian(text: String, day: String) throws {
        let found = try #require(DateScanner.first(in: text))
        #expect(found.timestamp(in: Self.utc).formatted(.day) == day)
    }

    @Test("URL date patterns are read only in URL mode", arguments: [
        ("/2023-06/17/c_1129.htm", "2023-06-17"),
        ("/t20230617_123.html", "2023-06-17"),
        ("/2019/11/18/investing/x/index.html", "2019-11-18"),
        ("/life/2023/0617/life7318.html", "2023-06-17"),
        ("/html/202306/17/content_1.htm", "2023-06-17"),
    ])
    func urlDates(path: String, day: String) throws {
        let found = try #require(DateScanner(path, isURL: true).all(limit: 1).first)
        #expect(String(format: "%04d-%02d-%02d", found.year, found.month, found.day) == day)
        #expect(DateScanner.first(in: "phone 20230617 ext") == nil)
    }

    @Test("URL dates of discovered links take the source's zone", arguments: [
        ("http://x.example.cn/2025/1128/content_1041.html", "2025-11-28T00:00:00Z"),
        ("http://x.example.cn/zwdt/202511/t20251127_4511993.html", "2025-11-27T00:00:00Z"),
        ("https://x.example.com/2025/11/25/library.html", "2025-11-25T00:00:00Z"),
        ("https://x.example.com/show.php?date=2025-11-24&id=3", "2025-11-24T00:00:00Z"),
        ("https://x.example.com/news/68123456", nil),
    ] as [(String, String?)])
    func discoveredURLDates(url: String, expected: String?) throws {
        let url = try #require(URL(string: url))
        #expect(DateScanner.first(inURL: url)?.timestamp(in: Self.utc).rfc3339 == expected)
    }

    @Test("numbers that are not dates are ignored", arguments: [
        "Version 1.2.3", "3000-01-01", "2023-13-45", "1234567", "5/6/2020", "2025-02-30", "11-28", "2023-02-29",
        "1402/07/14", "۱۴۰۲/۱۳/۰۱", "۳۰ اسفند ۱۴۰۲", "31 April 2024",
        // two-digit years only as DD.MM.YY standing alone: versions, addresses and short forms are no dates
        "1.2.23", "v10.11.15", "10.11.15.3", "192.10.11.15", "10.11.50", "31.02.23", "10/11/15", "10.11.15a",
    ])
    func notDates(text: String) {
        #expect(DateScanner.first(in: text) == nil)
    }

    @Test("an offset written next to a date follows the one offset rule", arguments: [
        ("2024-01-01T00:00:00+14:00", "2024-01-01T00:00:00+14:00"),
        ("2024-01-01T00:00:00+19:00", "2023-12-31T05:00:00Z"),     // no zone has it: same moment, shown in UTC
        ("2024-01-01T00:00:00+25:00", "2024-01-01T00:00:00+08:00"),  // not an offset at all: the source's zone
    ])
    func offsets(text: String, expected: String) throws {
        let found = try #require(DateScanner.first(in: text))
        #expect(found.timestamp(in: Self.shanghai).rfc3339 == expected)
    }

    @Test("a date without an offset takes the zone's offset of that day, summer time included")
    func summerTime() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(DateScanner.first(in: "2024-07-01 12:00")?.timestamp(in: berlin).rfc3339 == "2024-07-01T12:00:00+02:00")
        #expect(DateScanner.first(in: "2024-01-15 12:00")?.timestamp(in: berlin).rfc3339 == "2024-01-15T12:00:00+01:00")
        #expect(DateScanner.first(in: "2024-03-31 03:30")?.timestamp(in: berlin).rfc3339 == "2024-03-31T03:30:00+02:00")
    }

    @Test("the first few dates come out in page order")
    func several() {
        let all = DateScanner("2023-01-02 then 3 March 2024 and 2025年4月5日").all()
        #expect(all.map { "\($0.year)-\($0.month)-\($0.day)" } == ["2023-1-2", "2024-3-3", "2025-4-5"])
        #expect(DateScanner("2023-01-02 then 3 March 2024").all(limit: 1).count == 1)
    }
}
