import CLibXML2
import Foundation
import TidingsCore

/// What `tidings extract --explain` prints: the candidate blocks both scorers found, their
/// scores, which one was rendered and why, plus the extraction's result.
public struct ExtractionExplanation: Sendable {
    public struct Candidate: Sendable {
        /// "paragraphs" or "density".
        public var scorer: String
        /// The element as a short CSS-like path (`main > article#post-12.entry`).
        public var element: String
        public var score: Double
        /// Visible characters below the element.
        public var characters: Int
        /// Share of those characters inside links.
        public var linkDensity: Double
        /// Whether the element was rendered (alone or with siblings).
        public var isChosen: Bool
    }

    public var candidates: [Candidate] = []
    /// The elements rendered, in document order.
    public var chosen: [String] = []
    /// Why the chosen block won.
    public var reason = ""
    /// Decisions around the scoring (retries, hidden text, rules), in order.
    public var notes: [String] = []
    /// The short lines the date and byline are read from when no declaration settles them.
    public var lines = Lines()
    public var result: Result<Article, ExtractionFailure>

    public struct Lines: Sendable {
        /// Info lines and bylines taken out of the body, in page order.
        public var pruned: [String] = []
        /// Lines just before the body, nearest first.
        public var before: [String] = []
        /// Lines next to the headline: after it, then before it, nearest first.
        public var nextToHeadline: [String] = []
        /// Lines between the body's parts that it leaves out, in page order.
        public var between: [String] = []
        /// Lines just after the body, nearest first.
        public var after: [String] = []
    }

    init(result: Result<Article, ExtractionFailure>) { self.result = result }
}

/// Collects an explanation while `ArticleBuilder` runs.
final class ExtractionTrace {
    var candidates: [ExtractionExplanation.Candidate] = []
    var chosen: [String] = []
    var reason = ""
    var notes: [String] = []
    var lines = ExtractionExplanation.Lines()

    func record(_ selection: ContentLocator.Selection, in analysis: DocumentAnalysis) {
        let records = analysis.records
        candidates = selection.candidates.map { c in
            let r = records[c.index]
            return .init(scorer: c.scorer.rawValue, element: Self.describe(c.index, in: analysis), score: c.score,
                         characters: Int(r.text.characters), linkDensity: r.linkDensity, isChosen: selection.roots.contains(c.index))
        }
        chosen = selection.roots.map { Self.describe($0, in: analysis) }
        reason = selection.reason
    }

    /// `parent > element#id.class` for the element and up to two ancestors.
    static func describe(_ index: Int, in analysis: DocumentAnalysis) -> String {
        var parts: [String] = []
        var i = index
        while i >= 0 && parts.count < 3 {
            parts.append(describeOne(analysis.records[i]))
            i = analysis.records[i].parent
        }
        return parts.reversed().joined(separator: " > ")
    }

    private static func describeOne(_ r: ElementRecord) -> String {
        var s = r.name
        if let id = DocumentAnalysis.attributeString(r.pointer, "id"), !id.isEmpty { s += "#" + String(id.prefix(40)) }
        if let cls = DocumentAnalysis.attributeString(r.pointer, "class") {
            for c in cls.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).prefix(3) { s += "." + c.prefix(40) }
        }
        return s
    }
}
