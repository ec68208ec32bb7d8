import Foundation

/// Month names the page-text scanner understands, lower-cased, with the calendar they count in.
enum MonthNames {
    enum Calendar: Sendable {
        case gregorian
        /// The Solar Hijri calendar of Iran and Afghanistan (فروردین … اسفند).
        case persian
    }

    struct Month: Sendable {
        var number: Int
        var calendar: Calendar
    }

    static func month(_ word: String) -> Month? { table[word] }

    /// Two-word Levantine names (`كانون الثاني`, `تشرين الأول`): the first word, then the
    /// second word's month number.
    static let twoWord: [String: [String: Int]] = [
        "كانون": ["الثاني": 1, "الأول": 12, "الاول": 12],
        "تشرين": ["الأول": 10, "الاول": 10, "الثاني": 11],
    ]

    private static let gregorian: [String: Int] = [
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
        // uk (genitive), tr
        "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
        "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
        "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
        "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
        // ar, Egypt and the Gulf (with and without hamza, and the Egyptian -يه endings)
        "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
        "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
        "ديسمبر": 12,
        // ar, the Levant and Iraq (the two-word names are in `twoWord`)
        "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8,
        "أيلول": 9, "ايلول": 9,
        // ar, Algeria and Tunisia; Morocco
        "جانفي": 1, "فيفري": 2, "أفريل": 4, "افريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "جويلة": 7, "أوت": 8, "اوت": 8,
        "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
        // fa, Gregorian months as Persian pages name them (Arabic and Persian kaf/yeh both)
        "ژانویه": 1, "ژانویهٔ": 1, "فوریه": 2, "فوریهٔ": 2, "آوریل": 4, "مه": 5, "ژوئن": 6, "ژوئیه": 7, "ژوئیهٔ": 7,
        "ژوییه": 7, "جولای": 7, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10, "اكتبر": 10, "نوامبر": 11, "دسامبر": 12,
    ]

    /// Solar Hijri months; years count from 622 (1404 began in March 2025).
    private static let persian: [String: Int] = [
        "فروردین": 1, "فروردين": 1, "اردیبهشت": 2, "ارديبهشت": 2, "خرداد": 3, "تیر": 4, "تير": 4, "مرداد": 5, "امرداد": 5,
        "شهریور": 6, "شهريور": 6, "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "دي": 10, "بهمن": 11, "اسفند": 12,
    ]

    private static let table: [String: Month] = {
        var table: [String: Month] = [:]
        for (name, number) in gregorian { table[name] = Month(number: number, calendar: .gregorian) }
        for (name, number) in persian { table[name] = Month(number: number, calendar: .persian) }
        return table
    }()
}

/// Solar Hijri dates to Gregorian ones, through Foundation's Persian calendar (rare on the
/// pages read, so its cost does not matter; the common paths never build a Calendar).
enum PersianCalendar {
    /// Solar Hijri years accepted as publication years: the same span as
    /// `DateScanner.plausibleYears` (1995–2035 is 1373/74–1413/14).
    static let plausibleYears = 1373...1414

    private static let calendar: Foundation.Calendar = {
        var calendar = Foundation.Calendar(identifier: .persian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .gmt
        return calendar
    }()

    /// The Gregorian day of a Solar Hijri one, nil when that day does not exist.
    static func gregorian(year: Int, month: Int, day: Int) -> (year: Int, month: Int, day: Int)? {
        guard plausibleYears.contains(year), (1...12).contains(month), (1...(month <= 6 ? 31 : 30)).contains(day),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day,
              let seconds = CivilTime.epochSeconds(of: date) else { return nil }
        let c = CivilTime(epochSeconds: seconds, offsetSeconds: 0)
        return (c.year, c.month, c.day)
    }
}
