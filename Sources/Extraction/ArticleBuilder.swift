import CLibXML2
import Foundation
import TidingsCore

/// One extraction: analysis, content choice, rendering, metadata, and the not-an-article checks.
struct ArticleBuilder {
    let document: HTMLDocument
    let configuration: ExtractorConfiguration
    /// Collects the candidates and decisions for `--explain`; nil in normal runs.
    var trace: ExtractionTrace? = nil

    func run() -> Result<Article, ExtractionFailure> {
        var facts = PassFacts()
        let first = run(revealingHidden: false, facts: &facts)
        guard facts.hiddenCharacters >= Heuristics.minimumArticleLength else { return first }
        // A page that shows no <h1> and hides more text than it shows: libxml2 nested the rest of
        // the page into a hidden menu it could not close (an unclosed custom element or <div> in a
        // <button>), or a script reveals it.
        let mostlyHidden = !facts.showsHeadline && facts.hiddenCharacters > facts.visibleCharacters
        let shortBody: Int?
        switch first {
        case .success(let article):
            guard mostlyHidden else { return first }
            shortBody = article.text.count
        case .failure(let failure):
            // The page hides text that a script reveals (preloader wrappers, `class="hidden"` until
            // loaded): read it as shown when the visible part holds no article.
            let visibleGaveNothing = failure.reason == .emptyPage || failure.reason == .tooLittleText
            guard mostlyHidden || visibleGaveNothing else { return first }
            shortBody = visibleGaveNothing ? nil : 0
        }
        trace?.notes.append(mostlyHidden
            ? "the page shows no <h1> and hides more text (\(facts.hiddenCharacters) characters) than it shows (\(facts.visibleCharacters)), so it is also read with the hidden elements shown"
            : "nothing usable in the visible text; \(facts.hiddenCharacters) characters are hidden, so the hidden elements are read as shown")
        var shown = PassFacts()
        let second = run(revealingHidden: true, facts: &shown)
        guard case .success(let revealed) = second else { return first }
        // Against a body or a verdict of the visible text, the text read as shown wins with a body
        // at least twice as long that is not the whole page (menus and panels shown too make the
        // page itself the best block).
        if let shortBody {
            guard revealed.text.count >= shortBody * 2, !shown.choseWholePage else { return first }
        }
        return second
    }

    /// What one pass saw of the page: text skipped as hidden, text shown, whether an `<h1>` is shown.
    private struct PassFacts {
        var hiddenCharacters = 0
        var visibleCharacters = 0
        var showsHeadline = false
        /// The body chosen is the page's `<body>` itself.
        var choseWholePage = false
    }

    private func removedNodes() -> Set<xmlNodePtr> {
        var removed = Set<xmlNodePtr>()
        for selector in configuration.rules.remove {
            for node in RuleSelector(selector).select(in: document) { removed.insert(node.pointer) }
        }
        return removed
    }

    private func run(revealingHidden: Bool, facts: inout PassFacts) -> Result<Article, ExtractionFailure> {
        let url = document.url.absoluteString
        guard let root = document.root else {
            return .failure(ExtractionFailure(.emptyPage, "\(url): the page has no <html> element"))
        }
        let rules = configuration.rules
        var analysis = DocumentAnalysis(root: root.pointer, removing: removedNodes(), revealingHidden: revealingHidden)
        facts.hiddenCharacters = analysis.hiddenCharacters
        facts.visibleCharacters = analysis.records.isEmpty ? 0 : Int(analysis.records[analysis.bodyIndex].text.characters)
        facts.showsHeadline = analysis.records.contains { $0.name == "h1" }
        let metadata = PageMetadata(document: document, hints: analysis.metadataHints)
        let resolver = MetadataResolver(document: document, metadata: metadata, configuration: configuration)
        let title = resolver.title(rule: rules.title, analysis: analysis)
        guard analysis.records.count > 0, analysis.records[analysis.bodyIndex].text.characters > 0 else {
            return .failure(failure(.emptyPage, "\(url): the page has no visible text", resolver, title, VisibleLines(), ""))
        }

        var roots: [Int] = []
        if let content = rules.content {
            roots = RuleSelector(content).select(in: document).compactMap { analysis.record(of: $0.pointer) }
            if let trace {
                trace.notes.append(roots.isEmpty ? "the [extract] content rule \(content) matched nothing, so the heuristics chose"
                                                 : "the [extract] content rule \(content) chose the body")
                trace.chosen = roots.map { ExtractionTrace.describe($0, in: analysis) }
            }
        }
        var top = roots.first
        if roots.isEmpty {
            var locator = ContentLocator(analysis: analysis)
            var selection = locator.locate()
            if selection.map({ Self.weightedLength(of: $0.roots, in: locator.analysis) < Heuristics.minimumArticleLength }) ?? true {
                var retry = ContentLocator(analysis: analysis)
                if let wider = retry.locate(honouringFurniture: false),
                   Self.weightedLength(of: wider.roots, in: retry.analysis) >= Heuristics.minimumArticleLength {
                    selection = wider
                    locator = retry
                    trace?.notes.append("too little text outside furniture-named elements, so furniture was scored too")
                }
            }
            analysis = locator.analysis
            if let trace, let selection { trace.record(selection, in: analysis) }
            guard let selection else {
                let body = nonArticleBody(analysis, title: title)
                if analysis.records[analysis.bodyIndex].linkDensity > Heuristics.listingLinkDensity {
                    return .failure(failure(.listingPage, "\(url): no running text, the page is mostly links", resolver, title, VisibleLines(), "",
                                            body: body))
                }
                return .failure(failure(.tooLittleText, "\(url): no paragraph of running text found", resolver, title, VisibleLines(), "",
                                        body: body))
            }
            roots = selection.roots
            top = selection.top
        }

        facts.choseWholePage = roots.count == 1 && (roots[0] == analysis.bodyIndex || analysis.isAncestor(roots[0], of: analysis.bodyIndex))
        var renderer = ContentRenderer(analysis: analysis, document: document, title: title)
        renderer.render(roots: roots)
        let rendered = Self.lines(of: renderer)
        let text = rendered.text
        let lines = VisibleLines(analysis: analysis, roots: roots, bodyLines: rendered.raw, pruned: renderer.prunedLines, title: title)
        trace?.lines = .init(pruned: lines.pruned, before: Array(lines.before.prefix(VisibleLines.window)),
                            nextToHeadline: lines.headlineLines, between: lines.gaps, after: Array(lines.after.prefix(10)))

        var measure = TextMeasure()
        for r in roots { measure += analysis.records[r].text }
        let isListing = top.map { analysis.records[$0].linkDensity > Heuristics.listingLinkDensity } ?? false
        if text.isEmpty || measure.weightedLength < Heuristics.minimumArticleLength || isListing {
            let reason: ExtractionFailure.Reason
            let detail: String
            if isListing {
                (reason, detail) = (.listingPage, "the best block is mostly links")
            } else if Self.looksLikeErrorPage(title) {
                (reason, detail) = (.errorPage, "the page reads as an error page (\(title))")
            } else {
                (reason, detail) = (.tooLittleText, "the best block holds too little text")
            }
            return .failure(failure(reason, "\(url): \(detail)", resolver, title, lines, text, measure: measure,
                                    body: nonArticleBody(analysis, title: title)))
        }
        let html = Self.removing(rendered.removed, from: renderer.html.output)
        return .success(article(resolver, title: title, lines: lines, text: text, html: html, measure: measure))
    }

    private func article(_ resolver: MetadataResolver, title: String, lines: VisibleLines, text: String, html: String,
                         measure: TextMeasure) -> Article {
        let rules = configuration.rules
        let language = resolver.language(sample: measure, text: text)
        let zone = resolver.timeZone(language: language)
        let summary = Self.summary(of: text, description: resolver.metadata.meta(["description", "og:description"]))
        let headline = XMLText.clean(title)
        var article = Article(
            url: document.url,
            title: headline,
            author: resolver.author(rule: rules.author, lines: lines, language: language, headline: headline).map(XMLText.clean),
            published: resolver.published(rule: rules.date, lines: lines, zone: zone),
            outlet: resolver.outlet(lines: lines, language: language).map(XMLText.clean),
            language: language,
            leadImage: resolver.leadImage(contentHTML: html),
            html: html,
            text: text,
            summary: summary)
        article.keywords = Self.keywords(resolver.metadata.meta(["news_keywords", "keywords"]))
        article.canonicalHint = resolver.canonicalHint()
        return article
    }

    /// Splits a keywords meta (`a, b`, `甲，乙、丙`, `a; b`) into its terms; nil when there are none.
    static func keywords(_ declared: String?) -> [String]? {
        guard let declared else { return nil }
        let separators: Set<Character> = [",", "，", "、", ";", "；", "|"]
        let terms = declared.split(whereSeparator: { separators.contains($0) })
            .map { XMLText.clean(String($0)) }
            .filter { !$0.isEmpty }
        return terms.isEmpty ? nil : terms
    }

    /// A refusal that still carries what the page declares (title, date, author) and, as its
    /// `text` and `html`, the main column the page shows instead of an article (`NonArticleBody`)
    /// when the configuration keeps it, so callers can log, show or score it.
    private func failure(_ reason: ExtractionFailure.Reason, _ detail: String, _ resolver: MetadataResolver, _ title: String,
                         _ lines: VisibleLines, _ text: String, measure: TextMeasure = TextMeasure(),
                         body: (text: String, html: String) = ("", "")) -> ExtractionFailure {
        var failure = ExtractionFailure(reason, detail)
        failure.metadata = article(resolver, title: title, lines: lines, text: body.text, html: body.html, measure: measure)
        return failure
    }

    /// The main column of a page refused as an article, rendered with its link lists (a
    /// listing's headlines are what it shows) and without furniture or info lines.
    private func nonArticleBody(_ analysis: DocumentAnalysis, title: String) -> (text: String, html: String) {
        guard configuration.keepsNonArticleBody, let root = NonArticleBody.root(in: analysis) else { return ("", "") }
        var renderer = ContentRenderer(analysis: analysis, document: document, title: title)
        renderer.keepsLinks = true
        renderer.render(roots: [root])
        let rendered = Self.lines(of: renderer)
        trace?.notes.append("not an article; what the page shows instead is its main column "
            + "\(ExtractionTrace.describe(root, in: analysis)) (\(rendered.text.count) characters, links kept), recorded with the refusal")
        return (rendered.text, Self.removing(rendered.removed, from: renderer.html.output))
    }

    /// The rendered text's lines, the info lines among them (`BoilerplateLine`), and the text
    /// without those, each line tested once.
    private static func lines(of renderer: ContentRenderer) -> (raw: [Substring], removed: [Substring], text: String) {
        let raw = renderer.text.output.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        var kept: [Substring] = []
        var removed: [Substring] = []
        for line in raw {
            if BoilerplateLine.matches(String(line)) { removed.append(line) } else { kept.append(line) }
        }
        return (raw, removed, TextSearch.trimmed(kept.joined(separator: "\n")))
    }

    /// Drops info lines that sat in running text (`<br>` layouts) from the HTML too, when the
    /// line appears there as one text run between tags.
    static func removing(_ lines: [Substring], from html: String) -> String {
        guard !lines.isEmpty else { return html }
        var bytes = Array(html.utf8)
        var changed = false
        for line in lines {
            let escaped = Array(SanitizingWriter.escapeText(TextSearch.trimmed(line)).utf8)
            guard !escaped.isEmpty, let start = TextSearch.find(escaped, in: bytes) else { continue }
            let end = start + escaped.count
            var before = start - 1
            while before >= 0 && (bytes[before] == 0x20 || bytes[before] == 0x0A || bytes[before] == 0x09) { before -= 1 }
            var after = end
            while after < bytes.count && (bytes[after] == 0x20 || bytes[after] == 0x0A || bytes[after] == 0x09) { after += 1 }
            let boundedBefore = before < 0 || bytes[before] == UInt8(ascii: ">")
            let boundedAfter = after >= bytes.count || bytes[after] == UInt8(ascii: "<")
            if boundedBefore && boundedAfter {
                bytes.removeSubrange(start..<end)
                changed = true
            }
        }
        guard changed else { return html }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<p></p>", with: "")
    }

    static func weightedLength(of roots: [Int], in analysis: DocumentAnalysis) -> Int {
        roots.reduce(0) { $0 + analysis.records[$1].text.weightedLength }
    }

    /// Words of error-page titles (404 pages served with status 200).
    static let errorTitleWords = ["404", "not found", "页面不存在", "页面未找到", "找不到", "error", "出错", "访问的页面"]

    static func looksLikeErrorPage(_ title: String) -> Bool {
        let lower = title.lowercased()
        return errorTitleWords.contains { lower.contains($0) }
    }

    /// Summary length in characters (about two sentences in either script).
    static let summaryCharacters = 200

    static func summary(of text: String, description: String?) -> String {
        if let description {
            let d = PageMetadata.clean(description)
            if d.count >= 20 { return XMLText.clean(String(d.prefix(summaryCharacters))) }
        }
        let firstParagraph = text.utf8.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: true).first
            .map { String(Substring($0)) } ?? ""
        if firstParagraph.count <= summaryCharacters { return firstParagraph }
        return String(firstParagraph.prefix(summaryCharacters)) + "…"
    }
}
