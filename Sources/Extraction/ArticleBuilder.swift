import CLibXML2
import Foundation
import TidingsCore

/// One extraction: analysis, content choice, rendering, metadata, and the not-an-article checks.
struct ArticleBuilder {
    let document: HTMLDocument
    let configuration: ExtractorConfiguration

    func run() -> Result<Article, ExtractionFailure> {
        let url = document.baseURL.absoluteString
        guard let root = document.root else {
            return .failure(ExtractionFailure(.emptyPage, "\(url): the page has no <html> element"))
        }
        let rules = configuration.rules
        var removed = Set<xmlNodePtr>()
        for selector in rules.remove {
            for node in RuleSelector(selector).select(in: document) { removed.insert(node.pointer) }
        }
        var analysis = DocumentAnalysis(root: root.pointer, removing: removed)
        guard analysis.records.count > 0, analysis.records[analysis.bodyIndex].text.characters > 0 else {
            return .failure(ExtractionFailure(.emptyPage, "\(url): the page has no visible text"))
        }

        var roots: [Int] = []
        if let content = rules.content {
            roots = RuleSelector(content).select(in: document).compactMap { analysis.record(of: $0.pointer) }
        }
        var top = roots.first
        if roots.isEmpty {
            var locator = ContentLocator(analysis: analysis)
            let selection = locator.locate()
            analysis = locator.analysis
            guard let selection else {
                return .failure(ExtractionFailure(.tooLittleText, "\(url): no paragraph of running text found"))
            }
            roots = selection.roots
            top = selection.top
        }

        let metadata = PageMetadata(document: document)
        let resolver = MetadataResolver(document: document, metadata: metadata, configuration: configuration)
        let title = resolver.title(rule: rules.title)

        var renderer = ContentRenderer(analysis: analysis, document: document, title: title)
        renderer.render(roots: roots)
        let rawText = renderer.text.output
        let rawLines = rawText.split(separator: "\n", omittingEmptySubsequences: false)
        let keptLines = rawLines.filter { !BoilerplateLine.matches(String($0)) }
        let text = TextSearch.trimmed(keptLines.joined(separator: "\n"))

        var measure = TextMeasure()
        for r in roots { measure += analysis.records[r].text }
        let length = text.utf8.count
        if length == 0 || measure.weightedLength < Heuristics.minimumArticleLength {
            if let top, analysis.records[top].linkDensity > Heuristics.listingLinkDensity {
                return .failure(ExtractionFailure(.listingPage, "\(url): the best block is mostly links"))
            }
            if Self.looksLikeErrorPage(title) {
                return .failure(ExtractionFailure(.errorPage, "\(url): the page reads as an error page (\(title))"))
            }
            return .failure(ExtractionFailure(.tooLittleText, "\(url): the best block holds too little text"))
        }
        if let top, analysis.records[top].linkDensity > Heuristics.listingLinkDensity {
            return .failure(ExtractionFailure(.listingPage, "\(url): the best block is mostly links"))
        }

        let lines = VisibleLines(analysis: analysis, roots: roots, bodyLines: rawLines, pruned: renderer.prunedLines)
        if ProcessInfo.processInfo.environment["TIDINGS_DEBUG_EXTRACT"] != nil {
            print("DEBUG pruned", lines.pruned)
            print("DEBUG before", lines.before.prefix(12))
            print("DEBUG inside", lines.inside)
            print("DEBUG after", lines.after.prefix(10))
        }
        let language = resolver.language(sample: measure, text: text)
        let zone = resolver.timeZone(language: language)
        let html = renderer.html.output
        let summary = Self.summary(of: text, description: metadata.meta(["description", "og:description"]))
        return .success(Article(
            url: document.baseURL,
            canonicalURL: resolver.canonicalURL(),
            title: XMLText.clean(title),
            author: resolver.author(rule: rules.author, lines: lines, language: language).map(XMLText.clean),
            published: resolver.published(rule: rules.date, lines: lines, zone: zone),
            outlet: resolver.outlet(lines: lines).map(XMLText.clean),
            language: language,
            leadImage: resolver.leadImage(contentHTML: html),
            html: html,
            text: text,
            summary: summary))
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
        let firstParagraph = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        if firstParagraph.count <= summaryCharacters { return firstParagraph }
        return String(firstParagraph.prefix(summaryCharacters)) + "…"
    }
}
