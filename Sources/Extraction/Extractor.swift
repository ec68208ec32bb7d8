import Foundation
import TidingsCore

/// Options of the Extractor.
public struct ExtractorConfiguration: Sendable {
    /// Zone for dates printed without an offset; nil = Asia/Shanghai for Chinese pages, else UTC.
    public var timeZone: TimeZone?
    /// Per-source overrides from `[extract]`.
    public var rules: ExtractRules

    public init(timeZone: TimeZone? = nil, rules: ExtractRules = .init()) {
        self.timeZone = timeZone
        self.rules = rules
    }
}

/// Why a page gave no article.
public struct ExtractionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case unparsable, emptyPage, listingPage, errorPage, tooLittleText
    }
    public var reason: Reason
    public var detail: String

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
        if let problem = BinaryContentCheck.problem(in: html) {
            return .failure(ExtractionFailure(.unparsable, problem))
        }
        guard let document = HTMLDocument(utf8: MarkupPrefilter.strip(html), url: url) else {
            return .failure(ExtractionFailure(.unparsable, "libxml2 could not parse the page"))
        }
        return extract(document: document)
    }

    public func extract(document: HTMLDocument) -> Result<Article, ExtractionFailure> {
        ArticleBuilder(document: document, configuration: configuration).run()
    }
}
