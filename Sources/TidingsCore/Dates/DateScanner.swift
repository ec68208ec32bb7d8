import Foundation

/// Finds dates in free text without regular expressions (they are the slow part of
/// other extractors): ISO forms (`2023-06-17T02:27:18+08:00`, `2023/06/17 02:27`),
/// Chinese (`2023年06月17日 02:27`), day-first and month-first (`17.03.2020`, `22/11/2020`),
/// month names in many languages (`June 17, 2023`, `17 Jun 2023`, `07 أكتوبر 2020`,
/// `۱۴ مهر ۱۴۰۲`), and URL forms (`t20230617_`, `/2023/06/17/`, `/2023-06/17/`, `/202306/17/`).
/// Arabic-Indic and Persian digits read as digits. The page-text scanner of Extraction and the
/// date hints of Discovery; every date it returns exists (`DateFields`).
public struct DateScanner {
    public typealias Found = DateFields

    /// Years accepted as publication years (tuned on htmldate_mc and cwce_zh: 1995–2035).
    public static let plausibleYears = 1995...2035

    private let bytes: [UInt8]
    /// URL mode: accepts `20230617`, `2023/0617`, `202306/17` and mixed separators (`2023-06/17`).
    private let isURL: Bool
    /// The text wrote its digits in Persian (۰–۹): a year such as ۱۴۰۲ counts in the Solar Hijri calendar.
    private let hasPersianDigits: Bool

    public init(_ text: String, isURL: Bool = false) {
        (bytes, hasPersianDigits) = Self.normalized(text)
        self.isURL = isURL
    }

    /// The first date in the text.
    public static func first(in text: String) -> Found? { DateScanner(text).all(limit: 1).first }

    /// The first date in a URL's path and query (`/2025/1128/…`, `t20251127_…`, `?date=2025-11-28`).
    public static func first(inURL url: URL) -> Found? {
        let text = url.path + (url.query.map { "?" + $0 } ?? "")
        return DateScanner(text, isURL: true).all(limit: 1).first
    }

    /// The text's UTF-8 with Arabic-Indic (٠–٩) and Persian (۰–۹) digits as ASCII digits and
    /// no-break spaces as spaces, and whether Persian digits were seen.
    static func normalized(_ text: String) -> ([UInt8], Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var persian = false
        var pending: UInt8 = 0
        for b in text.utf8 {
            if pending != 0 {
                let lead = pending
                pending = 0
                if lead == 0xD9 && (0xA0...0xA9).contains(b) { out.append(b - 0xA0 + 0x30); continue }
                if lead == 0xDB && (0xB0...0xB9).contains(b) { out.append(b - 0xB0 + 0x30); persian = true; continue }
                if lead == 0xC2 && b == 0xA0 { out.append(0x20); continue }
                out.append(lead)
            }
            if b == 0xD9 || b == 0xDB || b == 0xC2 { pending = b; continue }
            out.append(b)
        }
        if pending != 0 { out.append(pending) }
        return (out, persian)
    }

    /// Whether a word (any case) is a month name the scanner reads ("January", "Okt", "mars").
    public static func isMonthName(_ word: String) -> Bool {
        MonthNames.month(word.lowercased()) != nil
    }

    /// Dates in order of appearance.
    public func all(limit: Int = .max) -> [Found] {
        var results: [Found] = []
        var i = 0
        while i < bytes.count && results.count < limit {
            if isDigit(i) && (i == 0 || !isDigit(i - 1)) {
                if let (found, end) = numeric(at: i) { results.append(found); i = end; continue }
            } else if isLetter(i) && (i == 0 || !isLetter(i - 1)) {
                if let (found, end) = named(at: i) { results.append(found); i = end; continue }
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
        if yearDigits == 6 && isURL { return yearMonthThenDay(year / 100, year % 100, after: afterYear) }
        if yearDigits <= 2 && !isURL { return dayFirst(at: start) }
        guard yearDigits == 4, isPlausibleYear(year) else { return nil }
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

    /// `/202306/17/` in URLs: year and month run together, then the day.
    private func yearMonthThenDay(_ year: Int, _ month: Int, after start: Int) -> (Found, Int)? {
        guard start < bytes.count, [UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_")].contains(bytes[start]) else { return nil }
        let (day, afterDay) = number(at: start + 1, maxDigits: 2)
        guard afterDay == start + 3, afterDay == bytes.count || !isDigit(afterDay),
              let found = validated(year, month, day) else { return nil }
        return (found, afterDay)
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
        var (year, afterYear) = number(at: afterSecond + 1, maxDigits: 4)
        guard afterYear == bytes.count || !isDigit(afterYear) else { return nil }
        if afterYear == afterSecond + 3 {
            guard separator == UInt8(ascii: "."), let century = shortYearCentury(year, start: start, afterFirst: afterFirst,
                                                                                  afterSecond: afterSecond, afterYear: afterYear) else { return nil }
            year += century
        } else {
            guard afterYear == afterSecond + 5 else { return nil }
        }
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

    /// The century of a two-digit year in `DD.MM.YY` (German and Dutch bylines: `31.10.23`), or nil
    /// when the digits may be something else: day and month must have two digits each, and
    /// nothing dotted or lettered may touch the three numbers (`1.2.23`, `v10.11.15`,
    /// `10.11.15.3` and addresses are versions or numbers, not dates).
    private func shortYearCentury(_ year: Int, start: Int, afterFirst: Int, afterSecond: Int, afterYear: Int) -> Int? {
        guard afterFirst == start + 2, afterSecond == afterFirst + 3 else { return nil }
        if start > 0 && (bytes[start - 1] == UInt8(ascii: ".") || isLetter(start - 1)) { return nil }
        if afterYear < bytes.count && (isLetter(afterYear) || (bytes[afterYear] == UInt8(ascii: ".")
                                                               && afterYear + 1 < bytes.count && isDigit(afterYear + 1))) { return nil }
        if Self.plausibleYears.contains(2000 + year) { return 2000 }
        return Self.plausibleYears.contains(1900 + year) ? 1900 : nil
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
                    if afterMM == k + 2, let offset = UTCOffset.seconds(sign: sign, hours: hh, minutes: mm) {
                        found.offsetSeconds = offset
                        j = afterMM
                    }
                }
            }
        }
        return j
    }

    // MARK: month names

    private func named(at start: Int) -> (Found, Int)? {
        guard let (name, end) = monthName(at: start) else { return nil }
        let month = name.number
        let validated = { (y: Int, m: Int, d: Int) in self.validated(y, m, d, calendar: name.calendar) }
        var i = end
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") { i += 1 }
        skipSpaces(&i)
        skipConnector(&i)
        // Month D, YYYY
        let (day, afterDay) = number(at: i, maxDigits: 2)
        if afterDay > i {
            var j = afterDay
            for suffix in ["st", "nd", "rd", "th"] where matches(j, Array(suffix.utf8)) { j += 2; break }
            if j < bytes.count && bytes[j] == UInt8(ascii: ",") { j += 1 } else if matches(j, Self.arabicComma) { j += 2 }
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
            // a comma may follow the month ("19 Dec, 2025")
            var yearStart = i
            if yearStart < bytes.count && bytes[yearStart] == UInt8(ascii: ",") {
                yearStart += 1
                skipSpaces(&yearStart)
            }
            let (year, afterYear) = number(at: yearStart, maxDigits: 4)
            if afterYear == yearStart + 4, var found = validated(year, month, dayBefore) {
                let end = time(after: afterYear, into: &found)
                return (found, end)
            }
        }
        return nil
    }

    /// The month named by the word at `start` and where the name ends: one word, a two-word
    /// Levantine name, or a Persian name followed by ماه ("month", joined or after a ZWNJ).
    private func monthName(at start: Int) -> (MonthNames.Month, Int)? {
        let end = wordEnd(from: start)
        guard end - start >= 3, end - start <= 20 else { return nil }
        let word = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        if let month = MonthNames.month(word) {
            var i = end
            if matches(i, Self.zeroWidthNonJoiner) { i += Self.zeroWidthNonJoiner.count }
            if matches(i, Self.mah) { i += Self.mah.count }
            return (month, i)
        }
        if word.hasSuffix("ماه"), let month = MonthNames.month(String(word.dropLast(3))) { return (month, end) }
        if let seconds = MonthNames.twoWord[word] {
            var i = end
            skipSpaces(&i)
            let secondEnd = wordEnd(from: i)
            if secondEnd > i, let number = seconds[String(decoding: bytes[i..<secondEnd], as: UTF8.self)] {
                return (MonthNames.Month(number: number, calendar: .gregorian), secondEnd)
            }
        }
        return nil
    }

    private func wordEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count && isLetter(end) { end += 1 }
        return end
    }

    static let arabicComma: [UInt8] = Array("،".utf8)
    static let zeroWidthNonJoiner: [UInt8] = Array("\u{200C}".utf8)
    static let mah: [UInt8] = Array("ماه".utf8)

    // MARK: helpers

    private func isPlausibleYear(_ year: Int) -> Bool {
        Self.plausibleYears.contains(year) || (hasPersianDigits && PersianCalendar.plausibleYears.contains(year))
    }

    /// The date if it exists and its year is plausible. A Solar Hijri date (a Persian month
    /// name, or a Hijri year written in Persian digits) becomes its Gregorian day.
    private func validated(_ y: Int, _ m: Int, _ d: Int, calendar: MonthNames.Calendar = .gregorian) -> Found? {
        if calendar == .persian || (hasPersianDigits && !Self.plausibleYears.contains(y)) {
            guard let g = PersianCalendar.gregorian(year: y, month: m, day: d) else { return nil }
            return Found(year: g.year, month: g.month, day: g.day)
        }
        guard Self.plausibleYears.contains(y) else { return nil }
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
        if bytes[i] >= 0x80 { return !isPunctuationOrHan(i) }
        let b = bytes[i] | 0x20
        return b >= 97 && b <= 122
    }

    /// Bytes of 3-byte sequences (CJK, ZWNJ) and Arabic punctuation (، ؛ ؟) are not word
    /// letters for month names.
    private func isPunctuationOrHan(_ i: Int) -> Bool {
        var k = i
        while k > 0 && bytes[k] & 0xC0 == 0x80 { k -= 1 }
        if bytes[k] == 0xD8, k + 1 < bytes.count, [0x8C, 0x9B, 0x9F].contains(bytes[k + 1]) { return true }
        return bytes[k] >= 0xE0
    }

    private func matches(_ i: Int, _ pattern: [UInt8]) -> Bool {
        guard i + pattern.count <= bytes.count else { return false }
        for (k, b) in pattern.enumerated() where bytes[i + k] != b { return false }
        return true
    }
}
