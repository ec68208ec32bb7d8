import Foundation
import Testing
@testable import Extraction

@Suite("Dates in text, metadata and URLs")
struct DateScannerTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

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
    ])
    func writtenDates(text: String, expected: String) throws {
        let found = try #require(DateScanner.first(in: text))
        #expect(found.timestamp(in: Self.shanghai)?.rfc3339 == expected)
    }

    @Test("URL date patterns are read only in URL mode", arguments: [
        ("/2023-06/17/c_1129.htm", "2023-06-17"),
        ("/t20230617_123.html", "2023-06-17"),
        ("/2019/11/18/investing/x/index.html", "2019-11-18"),
        ("/life/2023/0617/life7318.html", "2023-06-17"),
    ])
    func urlDates(path: String, day: String) throws {
        let found = try #require(DateScanner(path, isURL: true).all(limit: 1).first)
        #expect(String(format: "%04d-%02d-%02d", found.year, found.month, found.day) == day)
        #expect(DateScanner.first(in: "phone 20230617 ext") == nil)
    }

    @Test("numbers that are not dates are ignored", arguments: ["Version 1.2.3", "3000-01-01", "2023-13-45", "1234567", "5/6/2020"])
    func notDates(text: String) {
        #expect(DateScanner.first(in: text) == nil)
    }
}
