/// Named constants of the content heuristics, each with what it was tuned on.
/// "sh" = the scrapinghub dev set (English-heavy modern news), "zh" = cwce_zh dev set
/// (2003–2022 Chinese portals, table/`<br>` layouts), both in ../shared/bench.
enum Heuristics {
    /// A CJK character counts as this many Latin characters when lengths are compared
    /// (median paragraph of zh ≈ 1/3 the characters of sh for the same content).
    static let cjkCharacterWeight = 2

    /// A block needs this weighted length before it counts as a paragraph (readability uses 25; sh, zh).
    static let minimumParagraphLength = 25
    /// Each this many weighted characters add one point to a paragraph, up to `paragraphLengthBonusCap` (sh).
    static let paragraphLengthUnit = 100
    static let paragraphLengthBonusCap = 3.0
    /// Share of a paragraph's score passed to the grandparent / great-grandparent (readability's decay; sh).
    static let grandparentShare = 0.5
    static let greatGrandparentShare = 1.0 / 6.0
    /// Score for a class/id that names article content (positive) or furniture (negative) (sh).
    static let classWeightPoints = 25.0

    /// Siblings of the best block join it when they score this share of its score (readability 0.2; sh).
    static let siblingScoreShare = 0.2
    static let siblingMinimumScore = 10.0
    /// A paragraph sibling joins when longer than this (weighted) and link density below 0.25 (sh).
    static let siblingParagraphLength = 80
    static let siblingParagraphLinkDensity = 0.25

    /// A furniture class name (sidebar, comments) is trusted only when its element holds less
    /// than this share of the page's text (pages wrapping the whole article in such a class; sh).
    static let boilerplateMaximumTextShare = 0.5

    /// Containers inside the content with fewer punctuation marks than this are pruned when
    /// they look like link lists or widgets (readability's comma rule; sh, zh).
    static let prunePunctuationLimit = 10
    /// Link density above which such a container is pruned (zh teaser lists, sh "related" boxes).
    static let pruneLinkDensity = 0.33
    /// Link density above which a single paragraph (or list) is dropped as a link line (sh, zh).
    static let linkLineDensity = 0.5
    /// …but only when it is shorter than this weighted length (long paragraphs with many inline links stay; sh).
    static let linkLineMaximumLength = 400

    /// Lines up to this many characters are checked against byline/info/share-line patterns (zh).
    static let infoLineMaximumCharacters = 80

    /// Fewer weighted characters than this in the best block means "not an article" (sh, zh).
    static let minimumArticleLength = 120
    /// A page whose best block has a link density above this is a listing page (zh portals).
    static let listingLinkDensity = 0.6
}
