import Foundation
import TidingsCore

/// Decides title, author, date, outlet, language, lead image and the canonical hint from the
/// declared metadata, the visible lines around the content, and the URL.
struct MetadataResolver {
    let document: HTMLDocument
    let metadata: PageMetadata
    let configuration: ExtractorConfiguration

    static let dateMetaKeys = [
        "article:published_time", "og:published_time", "article:published", "datepublished", "publishdate",
        "publish-date", "publish_date", "pubdate", "publication_date", "publishedate", "dc.date.issued",
        "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "sailthru.date",
        "parsely-pub-date", "article.published", "og:article:published_time", "cxenseparse:recs:publishtime",
        "citation_publication_date", "rnews:datepublished", "date", "created", "displaydate", "dc.created",
        "weibo:article:create_at", "og:pubdate", "article_date_original", "originalpublicationdate", "pub_date",
        "date_published", "publish_time", "publishtime", "release_date", "datecreated", "timestamp",
    ]
    static let authorMetaKeys = [
        "author", "article:author", "byl", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author",
        "og:article:author", "citation_author", "creator", "dc.contributor",
    ]

    /// Labels of a Twitter card's `twitter:labelN`/`twitter:dataN` pair that name the author:
    /// what SEO plugins (Yoast) write when the page has no author meta tag.
    static let authorCardLabels: Set<String> = ["written by", "author", "by"]

    func title(rule: String?, analysis: DocumentAnalysis) -> String {
        if let rule, let node = RuleSelector(rule).select(in: document).first {
            let t = PageMetadata.clean(node.text)
            if !t.isEmpty { return t }
        }
        let candidates = [metadata.meta(["og:title", "twitter:title"]), metadata.jsonLD.headline, metadata.titleTag]
            .compactMap { $0.map(PageMetadata.clean) }
        let hostName = TitleCleaner.hostSiteName(in: candidates, host: document.url.host)
        var siteName = metadata.meta(["og:site_name", "application-name"]) ?? hostName
        // a declared site name that is the title's other part while one part spells the host is
        // the headline copied into og:site_name (`Bürgerbeteiligung für Windpark Steinheim | EnBW` on enbw.com)
        if let declared = siteName, let hostName, declared != hostName,
           candidates.contains(where: { let parts = TitleCleaner.parts(of: $0); return parts.contains(declared) && parts.contains(hostName) }) {
            siteName = hostName
        }
        let title = TitleCleaner.title(candidates: candidates, headings: metadata.headings, linkedHeadings: metadata.linkedHeadings,
                                       siteName: siteName)
        // a declared title kept whole: the separators found no site name to remove
        guard candidates.contains(title), !metadata.headings.contains(title) else { return title }
        return ShownTitlePart.part(of: title, in: analysis) ?? title
    }

    /// The page's language: the declaration, unless the text is mostly CJK and the declaration
    /// names no CJK language or one whose script the text lacks; then the script decides
    /// (hangul → ko, kana → ja, else zh). A declared `zh-Hans-CN` stays Chinese on a page that
    /// quotes some Korean.
    func language(sample: TextMeasure, text: String) -> String? {
        let declared = metadata.language ?? metadata.meta(["content-language", "og:locale", "language", "dc.language"])
        let cleanDeclared = declared.map { TextSearch.trimmed(String($0.map { $0 == "_" ? "-" : $0 })) }.flatMap { $0.isEmpty ? nil : $0 }
        guard sample.characters > 0 && Double(sample.cjk) / Double(sample.characters) > Heuristics.cjkPageShare else {
            return cleanDeclared
        }
        var han = 0, kana = 0, hangul = 0
        for s in text.unicodeScalars.prefix(Heuristics.scriptSampleScalars) {
            switch s.value {
            case 0x3040...0x30FF: kana += 1
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: hangul += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: han += 1
            default: break
            }
        }
        let cjk = max(1, han + kana + hangul)
        let prefix = cleanDeclared.map { String($0.lowercased().prefix(2)) } ?? ""
        // the declared CJK language holds when its own script is a fair part of the CJK text
        switch prefix {
        case "zh" where Double(han) / Double(cjk) >= Heuristics.declaredScriptShare: return cleanDeclared
        case "ja" where Double(kana + han) / Double(cjk) >= Heuristics.declaredScriptShare && kana > 0: return cleanDeclared
        case "ko" where Double(hangul) / Double(cjk) >= Heuristics.declaredScriptShare: return cleanDeclared
        default: break
        }
        if hangul > han + kana { return "ko" }
        if Double(kana) / Double(cjk) >= Heuristics.kanaShareOfJapanese { return "ja" }
        return prefix == "zh" ? cleanDeclared : "zh"
    }

    /// The zone for times printed without an offset.
    func timeZone(language: String?) -> TimeZone {
        if let zone = configuration.timeZone { return zone }
        if language?.lowercased().hasPrefix("zh") == true { return TimeZone(identifier: "Asia/Shanghai") ?? .gmt }
        return TimeZone(secondsFromGMT: 0)!
    }

    /// The publication time: rule, JSON-LD, meta tags, `<time>`, visible lines near the content, the URL.
    func published(rule: String?, lines: VisibleLines, zone: TimeZone) -> Timestamp? {
        if let rule, let node = RuleSelector(rule).select(in: document).first {
            let value = DocumentAnalysis.attributeString(node.pointer, "datetime")
                ?? DocumentAnalysis.attributeString(node.pointer, "content") ?? node.text
            if let found = DateScanner.first(in: value) { return found.timestamp(in: zone) }
        }
        // one value per kind of declaration: a thread's many post times are one witness, not many
        let published = metadata.timeElements.filter(\.isPublished).lazy.compactMap { DateScanner.first(in: $0.datetime) }.first
        let found = [metadata.jsonLD.datePublished, metadata.meta(Self.dateMetaKeys)].compactMap { $0.flatMap { DateScanner.first(in: $0) } }
            + [published].compactMap { $0 }
        let urlDate = DateScanner(document.url.path, isURL: true).all(limit: 1).first
        if let chosen = Self.mostAgreed(found, witnesses: { [lines.leadingDate(), urlDate].compactMap { $0 } }) {
            let allTimes = metadata.timeElements.lazy.compactMap { DateScanner.first(in: $0.datetime) }
            return Self.inLocalOffset(chosen, among: found + allTimes).timestamp(in: zone)
        }
        if let visible = lines.leadingDate() {
            // a visible date on the URL's day adds the time; one far from it loses to the URL
            if let urlDate, (urlDate.year, urlDate.month, urlDate.day) != (visible.year, visible.month, visible.day) {
                return urlDate.timestamp(in: zone)
            }
            return visible.timestamp(in: zone)
        }
        if let urlDate { return urlDate.timestamp(in: zone) }
        for time in metadata.timeElements {
            if let found = DateScanner.first(in: time.datetime) { return found.timestamp(in: zone) }
        }
        if let found = lines.headlineDate() ?? lines.trailingDate() { return found.timestamp(in: zone) }
        if let d = metadata.jsonLD.dateModified ?? metadata.meta(["article:modified_time", "og:updated_time", "last-modified", "dateModified".lowercased()]),
           let found = DateScanner.first(in: d) {
            return found.timestamp(in: zone)
        }
        return nil
    }

    /// The first declared date, unless the declarations name different days: then the one
    /// whose day most other sources (declarations, the visible date, the URL) share; the first
    /// wins a tie. A JSON-LD block copied from another page, or a time zone slip, is outvoted.
    static func mostAgreed(_ declared: [DateScanner.Found], witnesses: () -> [DateScanner.Found]) -> DateScanner.Found? {
        guard let first = declared.first else { return nil }
        func day(_ f: DateScanner.Found) -> [Int] { [f.year, f.month, f.day] }
        guard declared.contains(where: { day($0) != day(first) }) else { return first }
        let all = declared + witnesses()
        var best = first
        var bestVotes = 0
        for candidate in declared {
            let votes = all.filter { day($0) == day(candidate) }.count
            if votes > bestVotes { (best, bestVotes) = (candidate, votes) }
        }
        return best
    }

    /// A UTC time as another declaration writes the same instant with its local offset: the
    /// page's own day is the local one (a `<time>` in `-04:00` beside a UTC `article:published_time`).
    static func inLocalOffset(_ chosen: DateScanner.Found, among others: [DateScanner.Found]) -> DateScanner.Found {
        guard chosen.offsetSeconds == 0, chosen.hasTime else { return chosen }
        let instant = chosen.timestamp(in: .gmt).date
        return others.first { other in
            guard let offset = other.offsetSeconds, offset != 0, other.hasTime else { return false }
            return other.timestamp(in: .gmt).date == instant
        } ?? chosen
    }

    func author(rule: String?, lines: VisibleLines, language: String?, headline: String) -> String? {
        if let rule, let node = RuleSelector(rule).select(in: document).first {
            let t = PageMetadata.clean(node.text)
            return BylineParser.author(in: t) ?? BylineParser.englishByline(t) ?? (t.isEmpty ? nil : t)
        }
        let lower = language?.lowercased() ?? ""
        let isChinese = lower.hasPrefix("zh")
        let isCJK = isChinese || lower.hasPrefix("ja") || lower.hasPrefix("ko")
        // Chinese portals fill the declared author with the page's editor (`<meta name="author">`
        // = `责任编辑：…`): a declared name that an editor credit names is left to the editor fallback.
        let people = metadata.jsonLD.authors.filter { !BylineParser.isOrganisation($0) && !BylineParser.isLabelOnly($0) && !(isChinese && lines.creditsEditor($0)) }
            .map(BylineParser.declaredName)
        if !people.isEmpty { return people.joined(separator: ", ") }
        // Chinese pages print the author in an info line more reliably than in <meta>; the line
        // patterns are CJK bylines, so other pages skip the scan.
        if isChinese, let a = lines.author(headline: headline) { return a }
        if let a = metadata.meta(Self.authorMetaKeys).map(PageMetadata.clean), !a.hasPrefix("http"), a.count <= 100,
           !BylineParser.isOrganisation(a), !BylineParser.isLabelOnly(a), !(isChinese && lines.creditsEditor(a)) {
            return BylineParser.declaredName(a)
        }
        if let a = metadata.labelledMeta(Self.authorCardLabels).map(PageMetadata.clean), a.count <= 100,
           !BylineParser.isOrganisation(a) {
            return BylineParser.declaredName(a)
        }
        if isCJK && !isChinese, let a = lines.author(headline: headline) { return a }
        for element in metadata.authorElements {
            // a credit label opening the element ("Erstellt von …", "Posted By: …") gives the names up to the next field
            let labelled = BylineParser.labelledCredit(element).flatMap { $0.isEmpty ? nil : $0 }
            if let found = BylineParser.author(in: element) ?? labelled ?? BylineParser.englishByline(element) {
                let a = BylineParser.withoutFollowWord(found)
                if !BylineParser.isLabelOnly(a) && !BylineParser.isCommenter(a) && !BylineParser.isSloganOrHeading(a)
                    && BylineParser.editor(in: a) == nil { return a }
            }
        }
        if !isCJK, let a = lines.labelledByline(headline: headline) { return a }
        // an author-marked element that is a name and a date ("Janic Cathomen, 01.12.2021")
        for element in metadata.authorElements where DateScanner.first(in: element) != nil {
            if let a = BylineParser.labelledCredit("By " + element), !a.isEmpty, !BylineParser.isLabelOnly(a), !BylineParser.opensWithDateWord(a) {
                return a
            }
        }
        // nobody else is credited: the page's editor answers for it
        if isChinese, let e = lines.editor() { return e }
        return nil
    }

    /// 来源 lines name the original outlet on Chinese pages; elsewhere the declared publisher comes first.
    func outlet(lines: VisibleLines, language: String?) -> String? {
        let declared = metadata.jsonLD.publisher ?? metadata.meta(["og:site_name", "application-name"])
        if language?.lowercased().hasPrefix("zh") == true { return lines.outlet() ?? declared }
        return declared ?? lines.outlet()
    }

    func leadImage(contentHTML: String) -> URL? {
        let declared = metadata.meta(["og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"])
            ?? metadata.jsonLD.image
        if let declared, let url = document.absoluteURL(declared), url.scheme?.hasPrefix("http") == true { return url }
        let bytes = Array(contentHTML.utf8)
        let marker = Array("<img src=\"".utf8)
        guard let start = TextSearch.find(marker, in: bytes) else { return nil }
        let valueStart = start + marker.count
        guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return URL(string: String(decoding: bytes[valueStart..<end], as: UTF8.self).replacingOccurrences(of: "&amp;", with: "&"))
    }

    /// The URL the page declares for itself (`rel=canonical`, else `og:url`), only reported:
    /// Discovery's `ArticleIdentity` decides whether to trust it.
    func canonicalHint() -> URL? {
        for candidate in [metadata.canonical, metadata.meta(["og:url"])].compactMap({ $0 }) {
            if let url = document.absoluteURL(candidate), url.scheme?.hasPrefix("http") == true { return url }
        }
        return nil
    }
}
