import Foundation
import TidingsCore

/// Options of the Extractor.
public struct ExtractorConfiguration: Sendable {
    /// Zone for dates printed without an offset; nil = Asia/Shanghai for Chinese pages, else UTC.
    public var timeZone: TimeZone?
    /// Per-source overrides from `[extract]`.
    public var rules: ExtractRules
    /// Whether a page refused as an article carries the main column it shows instead
    /// (`NonArticleBody`) as its failure's `text` and `html`: for `tidings extract` and its
    /// bench, which show and score it. A refresh makes no entry of a refused page, so it leaves
    /// this off and neither renders the column nor ships it back from a worker.
    public var keepsNonArticleBody: Bool

    public init(timeZone: TimeZone? = nil, rules: ExtractRules = .init(), keepsNonArticleBody: Bool = false) {
        self.timeZone = timeZone
        self.rules = rules
        self.keepsNonArticleBody = keepsNonArticleBody
    }
}

/// Why a page gave no article.
public struct ExtractionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case unparsable, emptyPage, listingPage, errorPage, tooLittleText
    }
    public var reason: Reason
    public var detail: String
    /// What the page declares even though its body was rejected (title, date, author, …;
    /// empty `text` and `html`), or nil when the page could not be parsed at all.
    public var metadata: Article?

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "not an article (\(reason.rawValue)): \(detail)" }
}

/// Turns an article page into an `Article`: metadata plus a clean, sanitized body.
public struct Extractor: Sendable {
    public let configuration: ExtractorConfiguration

    public init(configuration: ExtractorConfiguration = .init()) {
        self.configuration = configuration
    }

    public func extract(_ page: Page) -> Result<Article, ExtractionFailure> {
        extract(html: page.text, url: page.url)
    }

    public func extract(html: String, url: URL) -> Result<Article, ExtractionFailure> {
        parse(html: html, url: url).flatMap { extract(document: $0) }
    }

    /// Extracts like `extract(_:)` and tells how the body was chosen: the candidate blocks of
    /// both scorers with their scores, the chosen elements and the reason.
    public func explain(_ page: Page) -> ExtractionExplanation {
        let trace = ExtractionTrace()
        var explanation = ExtractionExplanation(result: parse(html: page.text, url: page.url).flatMap { extract(document: $0, trace: trace) })
        explanation.candidates = trace.candidates
        explanation.chosen = trace.chosen
        explanation.reason = trace.reason
        explanation.notes = trace.notes
        explanation.lines = trace.lines
        return explanation
    }

    /// The page as the extractor reads it: checked for binary content, stripped of what no
    /// stage reads (scripts, styles, unread attributes; links and `rel` stay), and parsed. A
    /// caller that also looks for links on the page (the next part of an article) reuses
    /// this document instead of parsing the page a second time.
    public func parse(html: String, url: URL) -> Result<HTMLDocument, ExtractionFailure> {
        if let problem = BinaryContentCheck.problem(in: html) {
            return .failure(ExtractionFailure(.unparsable, problem))
        }
        let rules = configuration.rules
        let hasSelectors = rules.content != nil || rules.title != nil || rules.date != nil || rules.author != nil || !rules.remove.isEmpty
        let filtered = MarkupPrefilter.strip(html, keepingAllAttributes: hasSelectors)
        guard let document = HTMLDocument(utf8: filtered, url: url) else {
            return .failure(ExtractionFailure(.unparsable, "\(url.absoluteString): libxml2 could not parse the page"))
        }
        if document.isCutShortByNesting {
            return .failure(ExtractionFailure(.unparsable, "\(url.absoluteString): the page is too deeply nested: "
                + "libxml2 stops reading at 256 levels and the rest of its text would be lost"))
        }
        return .success(document)
    }

    public func extract(document: HTMLDocument) -> Result<Article, ExtractionFailure> {
        extract(document: document, trace: nil)
    }

    private func extract(document: HTMLDocument, trace: ExtractionTrace?) -> Result<Article, ExtractionFailure> {
        ArticleBuilder(document: document, configuration: configuration, trace: trace).run()
    }
}
