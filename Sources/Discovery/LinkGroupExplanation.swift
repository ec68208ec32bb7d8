import Foundation

/// Why one group of links on a listing page was taken as an article list or left out: the
/// answer of `tidings discover --explain`.
public struct LinkGroupExplanation: Sendable, Hashable, Codable {
    /// The score's parts, each already weighted; `score` is their sum.
    public struct Parts: Sendable, Hashable, Codable {
        /// Share of the group's links whose text reads like a headline.
        public var text: Double
        /// Article-shaped URLs (dates, ids, slugs) minus section/tag/pagination-shaped ones.
        public var url: Double
        /// Links sharing one URL template, scaled by how many records repeat.
        public var structure: Double
        /// Class/id names of the surrounding region that name page furniture (negative).
        public var furniture: Double

        public init(text: Double, url: Double, structure: Double, furniture: Double) {
            self.text = text
            self.url = url
            self.structure = structure
            self.furniture = furniture
        }
    }

    /// The group's place on the page, e.g. `div#main > ul.news-list > li > a`.
    public var path: String
    /// Distinct link targets in the group.
    public var links: Int
    /// The first few link texts.
    public var sample: [String]
    /// Every link target of the group, in page order (the JSON explanation lists them, so a
    /// user can see which group holds a link discovery left out).
    public var urls: [String]
    public var parts: Parts
    public var score: Double
    public var kept: Bool
    /// A sentence: why kept or dropped.
    public var reason: String

    public init(path: String, links: Int, sample: [String], urls: [String] = [], parts: Parts, score: Double, kept: Bool, reason: String) {
        self.path = path
        self.links = links
        self.sample = sample
        self.urls = urls
        self.parts = parts
        self.score = score
        self.kept = kept
        self.reason = reason
    }
}

/// What `LinkDiscoverer.explain` reports for a page.
public struct DiscoveryExplanation: Sendable, Hashable {
    /// Every candidate group, in page order of its first link.
    public var groups: [LinkGroupExplanation]
    /// The links discovery gives for the page (as `discover` would).
    public var result: DiscoveryResult
}
