import Foundation
import TidingsCore

/// Finds dates in free text without regular expressions (they are the slow part of
/// other extractors): ISO forms (`2023-06-17T02:27:18+08:00`, `2023/06/17 02:27`),
/// Chinese (`2023年06月17日 02:27`), English (`June 17, 2023`, `17 Jun 2023`) and compact
/// URL forms (`t20230617_`, `/2023/06/17/`, `/2023-06/17/`).
struct DateScanner {
    /// A date as written: local fields plus an offset when the text carries one.
    struct Found: Equatable {
        var year, month, day: Int
        var hour: Int?
        var minute: Int?
        var second: Int?
        var offsetSeconds: Int?

        /// Resolves to a timestamp; fields without an offset are read in `zone`.
        func timestamp(in zone: TimeZone) -> Timestamp? {
            var calendar = Calendar(identifier: .gregorian)
            let offset: Int
            if let offsetSeconds {
                offset = offsetSeconds
                calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? zone
            } else {
                calendar.timeZone = zone
                let noon = DateComponents(year: year, month: month, day: day, hour: hour ?? 12)
                offset = calendar.date(from: noon).map { zone.secondsFromGMT(for: $0) } ?? zone.secondsFromGMT()
                calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? zone
            }
            let components = DateComponents(year: year, month: month, day: day, hour: hour ?? 0,
                                            minute: minute ?? 0, second: second ?? 0)
            guard let date = calendar.date(from: components) else { return nil }
            return Timestamp(date: date, offsetSeconds: offset)
        }

        var hasTime: Bool { hour != nil }
    }

    /// Years accepted as publication years (tuned on htmldate_mc and cwce_zh: 1995–2035).
    static let plausibleYears = 1995...2035

    static let monthNames: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
        // es, pt, fr, de, it, nl, ru (genitive), id
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
        "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
        "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
        "outubro": 10, "novembro": 11, "dezembro": 12,
        "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
        "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
        "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
        "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
        "ottobre": 10, "dicembre": 12, "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
        "agustus": 8, "desember": 12,
        "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
        "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
        // uk (genitive), tr, ar
        "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
        "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
        "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
        "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
        "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
        "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    ]

    private let bytes: [UInt8]
    /// URL mode: accepts `20230617`, `2023/0617` and mixed separators (`2023-06/17`).
    private let isURL: Bool

    init(_ text: String, isURL: Bool = false) {
        bytes = Array(text.utf8)
        self.isURL = isURL
    }

    /// The first date in the text.
    static func first(in text: String) -> Found? { DateScanner(text).all(limit: 1).first }

    /// Dates in order of appearance.
    func all(limit: Int = .max) -> [Found] {
        var results: [Found] = []
        var i = 0
        while i < bytes.count && results.count < limit {
            if isDigit(i) && (i == 0 || !isDigit(i - 1)) {
                if let (found, end) = numeric(at: i) { results.append(found); i = end; continue }
            } else if isLetter(i) && (i == 0 || !isLetter(i - 1)) {
                if let (found, end) = english(at: i) { results.append(found); i = end; continue }
            }
            i += 1
        }
        return results
    }

    // MARK: numeric forms

    private func numeric(at start: Int) -> (Found, Int)? {
        let (year, afterYear) = number(at: start, maxDigits: 8)
        let yearDigits = afterYear - start
        if yearDigits == 8 {  // compact 20230617
            guard isURL, afterYear == bytes.count || !isDigit(afterYear) else { return nil }
            let y = year / 10000, m = year / 100 % 100, d = year % 100
            guard let f = validated(y, m, d) else { return nil }
            return (f, afterYear)
        }
        if yearDigits <= 2 && !isURL { return dayFirst(at: start) }
        guard yearDigits == 4, Self.plausibleYears.contains(year) else { return nil }
        var i = afterYear
        guard let sep1 = separator(at: &i, chinese: [0xE5, 0xB9, 0xB4]) else { return nil }  // 年
        if isURL {
            let (monthDay, afterMonthDay) = number(at: i, maxDigits: 4)
            if afterMonthDay == i + 4, afterMonthDay == bytes.count || !isDigit(afterMonthDay),
               let found = validated(year, monthDay / 100, monthDay % 100) {
                return (found, afterMonthDay)
            }
        }
        let (month, afterMonth) = number(at: i, maxDigits: 2)
        guard afterMonth > i else { return nil }
        i = afterMonth
        guard separator(at: &i, chinese: [0xE6, 0x9C, 0x88], expected: isURL ? nil : sep1) != nil else { return nil }  // 月
        let (day, afterDay) = number(at: i, maxDigits: 2)
        guard afterDay > i, afterDay == bytes.count || !isDigit(afterDay) else { return nil }
        i = afterDay
        if matches(i, [0xE6, 0x97, 0xA5]) || matches(i, [0xE5, 0x8F, 0xB7]) { i += 3 }  // 日 号
        guard var found = validated(year, month, day) else { return nil }
        i = time(after: i, into: &found)
        return (found, i)
    }

    /// `DD.MM.YYYY` (European dotted form), and `A/B/YYYY` or `A-B-YYYY` when one of A and B
    /// can only be a day (> 12): `22/11/2020` is day-first, `11/22/2020` month-first; `5/6/2020` is
    /// ambiguous and skipped.
    private func dayFirst(at start: Int) -> (Found, Int)? {
        let (first, afterFirst) = number(at: start, maxDigits: 2)
        guard afterFirst < bytes.count else { return nil }
        let separator = bytes[afterFirst]
        guard separator == UInt8(ascii: ".") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") else { return nil }
        let (second, afterSecond) = number(at: afterFirst + 1, maxDigits: 2)
        guard afterSecond > afterFirst + 1, afterSecond < bytes.count, bytes[afterSecond] == separator else { return nil }
        let (year, afterYear) = number(at: afterSecond + 1, maxDigits: 4)
        guard afterYear == afterSecond + 5, afterYear == bytes.count || !isDigit(afterYear) else { return nil }
        let day: Int, month: Int
        if separator == UInt8(ascii: ".") {
            (day, month) = (first, second)
        } else if first > 12 && second <= 12 {
            (day, month) = (first, second)
        } else if second > 12 && first <= 12 {
            (day, month) = (second, first)
        } else {
            return nil
        }
        guard var found = validated(year, month, day) else { return nil }
        let end = time(after: afterYear, into: &found)
        return (found, end)
    }

    /// Reads `-`, `/`, `.` or the given Chinese unit; with `expected`, the same kind as before.
    private func separator(at i: inout Int, chinese: [UInt8], expected: UInt8? = nil) -> UInt8? {
        while i < bytes.count && bytes[i] == 0x20 { i += 1 }
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") {
            if let expected, expected != b { return nil }
            i += 1
            return b
        }
        if matches(i, chinese) {
            if let expected, expected != 0 { return nil }
            i += 3
            while i < bytes.count && bytes[i] == 0x20 { i += 1 }
            return 0
        }
        return nil
    }

    /// Parses an optional `[T ]HH:MM[:SS][.fff][Z|±HH:MM]` (or `HH时MM分`) after a date.
    private func time(after start: Int, into found: inout Found) -> Int {
        var i = start
        var skipped = 0
        while i < bytes.count && skipped < 12 {
            let b = bytes[i]
            if b == 0x20 || b == UInt8(ascii: "T") || b == 0x09 || b == 0x0A || b == UInt8(ascii: ",") { i += 1; skipped += 1; continue }
            if b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0 { i += 2; skipped += 1; continue }
            if matches(i, [0xE3, 0x80, 0x80]) { i += 3; skipped += 1; continue }  // ideographic space
            if b == UInt8(ascii: "-") || b == UInt8(ascii: "|"), i > start, bytes[i - 1] == 0x20 { i += 1; skipped += 1; continue }  // "22/11/2020 - 04:30"
            if matches(i, Array("at ".utf8)) || matches(i, Array("um ".utf8)) || matches(i, Array("às ".utf8)) || matches(i, Array("a las ".utf8)) {
                while i < bytes.count && bytes[i] != 0x20 { i += 1 }
                skipped += 1
                continue
            }
            // weekday in parentheses or 星期X between date and time
            if matches(i, [0xE6, 0x98, 0x9F, 0xE6, 0x9C, 0x9F]) { i += 9; skipped += 3; continue }
            break
        }
        let (hour, afterHour) = number(at: i, maxDigits: 2)
        guard afterHour > i, hour < 24 else { return start }
        var j = afterHour
        let colon = j < bytes.count && (bytes[j] == UInt8(ascii: ":") || matches(j, [0xEF, 0xBC, 0x9A]))
        let chineseHour = matches(j, [0xE6, 0x97, 0xB6]) || matches(j, [0xE7, 0x82, 0xB9])  // 时 点
        guard colon || chineseHour else { return start }
        j += bytes[j] == UInt8(ascii: ":") ? 1 : 3
        let (minute, afterMinute) = number(at: j, maxDigits: 2)
        guard afterMinute > j, minute < 60 else { return start }
        found.hour = hour
        found.minute = minute
        j = afterMinute
        if matches(j, [0xE5, 0x88, 0x86]) { j += 3 }  // 分
        if j < bytes.count && bytes[j] == UInt8(ascii: ":") {
            let (second, afterSecond) = number(at: j + 1, maxDigits: 2)
            if afterSecond > j + 1 && second < 60 { found.second = second; j = afterSecond }
        }
        if j < bytes.count && bytes[j] == UInt8(ascii: ".") {
            var k = j + 1
            while k < bytes.count && isDigit(k) { k += 1 }
            if k > j + 1 { j = k }
        }
        if j < bytes.count {
            if bytes[j] == UInt8(ascii: "Z") && (j + 1 == bytes.count || !isLetter(j + 1)) {
                found.offsetSeconds = 0
                j += 1
            } else if bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") {
                let sign = bytes[j] == UInt8(ascii: "-") ? -1 : 1
                let (hh, afterHH) = number(at: j + 1, maxDigits: 2)
                if afterHH == j + 3 {
                    var k = afterHH
                    if k < bytes.count && bytes[k] == UInt8(ascii: ":") { k += 1 }
                    let (mm, afterMM) = number(at: k, maxDigits: 2)
                    if afterMM == k + 2, hh <= 14 {
                        found.offsetSeconds = sign * (hh * 3600 + mm * 60)
                        j = afterMM
                    }
                }
            }
        }
        return j
    }

    // MARK: English forms

    private func english(at start: Int) -> (Found, Int)? {
        var end = start
        while end < bytes.count && isLetter(end) { end += 1 }
        guard end - start >= 3, end - start <= 20 else { return nil }
        let word = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        guard let month = Self.monthNames[word] else { return nil }
        var i = end
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") { i += 1 }
        skipSpaces(&i)
        skipConnector(&i)
        // Month D, YYYY
        let (day, afterDay) = number(at: i, maxDigits: 2)
        if afterDay > i {
            var j = afterDay
            for suffix in ["st", "nd", "rd", "th"] where matches(j, Array(suffix.utf8)) { j += 2; break }
            if j < bytes.count && bytes[j] == UInt8(ascii: ",") { j += 1 }
            skipSpaces(&j)
            skipConnector(&j)
            let (year, afterYear) = number(at: j, maxDigits: 4)
            if afterYear == j + 4, var found = validated(year, month, day) {
                let end = time(after: afterYear, into: &found)
                return (found, end)
            }
        }
        // D Month YYYY (also "17 de marzo de 2020", "17. März 2020"): look back for the day
        var k = start - 1
        while k >= 0 && (bytes[k] == 0x20 || bytes[k] == UInt8(ascii: ".")) { k -= 1 }
        if k >= 2 && bytes[k] == UInt8(ascii: "e") && bytes[k - 1] == UInt8(ascii: "d") && bytes[k - 2] == 0x20 {
            k -= 2
            while k >= 0 && bytes[k] == 0x20 { k -= 1 }
        }
        var digitsEnd = k + 1
        while k >= 0 && isDigit(k) { k -= 1 }
        if digitsEnd - (k + 1) > 2 { digitsEnd = -1 }
        if digitsEnd > k + 1 {
            let (dayBefore, _) = number(at: k + 1, maxDigits: 2)
            let (year, afterYear) = number(at: i, maxDigits: 4)
            if afterYear == i + 4, var found = validated(year, month, dayBefore) {
                let end = time(after: afterYear, into: &found)
                return (found, end)
            }
        }
        return nil
    }

    // MARK: helpers

    private func validated(_ y: Int, _ m: Int, _ d: Int) -> Found? {
        guard Self.plausibleYears.contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return Found(year: y, month: m, day: d)
    }

    private func number(at start: Int, maxDigits: Int) -> (Int, Int) {
        var value = 0
        var i = start
        while i < bytes.count && i - start < maxDigits && isDigit(i) {
            value = value * 10 + Int(bytes[i] - 48)
            i += 1
        }
        return (value, i)
    }

    /// Skips "de " / "del " between day, month and year (es, pt).
    private func skipConnector(_ i: inout Int) {
        for word in ["de ", "del "] where matches(i, Array(word.utf8)) {
            i += word.utf8.count
            skipSpaces(&i)
            return
        }
    }

    private func skipSpaces(_ i: inout Int) {
        while i < bytes.count && bytes[i] == 0x20 { i += 1 }
    }

    private func isDigit(_ i: Int) -> Bool { bytes[i] >= 48 && bytes[i] <= 57 }
    /// ASCII letters and any non-ASCII byte (month names in other scripts).
    private func isLetter(_ i: Int) -> Bool {
        if bytes[i] >= 0x80 { return !isCJKPunctuationOrHan(i) }
        let b = bytes[i] | 0x20
        return b >= 97 && b <= 122
    }

    /// Lead/continuation bytes of 3-byte sequences (CJK) are not word letters for month names.
    private func isCJKPunctuationOrHan(_ i: Int) -> Bool {
        var k = i
        while k > 0 && bytes[k] & 0xC0 == 0x80 { k -= 1 }
        return bytes[k] >= 0xE0
    }

    private func matches(_ i: Int, _ pattern: [UInt8]) -> Bool {
        guard i + pattern.count <= bytes.count else { return false }
        for (k, b) in pattern.enumerated() where bytes[i + k] != b { return false }
        return true
    }
}
