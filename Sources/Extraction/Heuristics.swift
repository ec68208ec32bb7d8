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
    /// Furniture named by a weak word (share, tags, newsletter; `ClassVocabulary`) is trusted only
    /// while it holds less than this share of the page's text: some sites wrap the article itself
    /// in such a name (sh; cwce_zh's `TRS_Editor`).
    static let weakFurnitureMaximumTextShare = 0.5
    /// A box named for furniture is a layout wrapper when an element below it named for content
    /// holds this share of its text (guessed, then checked page by page on the fit half).
    static let contentWrapperShare = 0.7

    /// A list item whose own words are more than this share links is a teaser, not a paragraph
    /// (zh forum thread lists, sh "related" lists).
    static let teaserItemLinkShare = 0.25

    /// Siblings of the best block join it when they score this share of its score (readability 0.2; sh).
    static let siblingScoreShare = 0.2
    static let siblingMinimumScore = 10.0
    /// A paragraph sibling joins when longer than this (weighted) and link density below 0.25 (sh).
    static let siblingParagraphLength = 80
    static let siblingParagraphLinkDensity = 0.25

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
    /// The main column of a page refused as an article is the deepest element whose largest
    /// child holds less than this share of its text outside furniture (`NonArticleBody`;
    /// fitted on the fit half's wcxb_nonarticle listing and collection pages).
    static let mainColumnShare = 0.7

    /// A `<button>` or `<label>` with at least this many characters of text below it is no
    /// control but the page that libxml2 nested into one (fit half: the header menu buttons of
    /// one publisher's sites hold an unclosed `<div>`; real controls hold a few words).
    static let swallowingControlCharacters = 1000

    // MARK: language

    /// A page whose sampled text is more than this share CJK is read as Chinese, Japanese or
    /// Korean whatever it declares (cwce_zh pages declaring `en`).
    static let cjkPageShare = 0.3
    /// Scalars of the body text sampled to tell the CJK scripts apart.
    static let scriptSampleScalars = 2000
    /// A declared zh/ja/ko holds when its script is at least this share of the CJK characters
    /// (a Chinese page quoting Korean names keeps `zh-Hans-CN`).
    static let declaredScriptShare = 0.5
    /// Kana make at least this share of the CJK characters of Japanese running text (kanji
    /// are the rest; Chinese text has none).
    static let kanaShareOfJapanese = 0.1

    // MARK: second opinion (density scorer)

    /// How many candidates of each scorer `--explain` lists.
    static let explainedCandidates = 5
    /// The density scorer subtracts this much per weighted character of text that is not running
    /// text (1: a block must hold more running text than other text to score; fit half).
    static let densityNoiseWeight = 1.0
    /// The paragraph scorer's choice is doubted when it is shorter than this (weighted characters)…
    /// (fit half: the split long posts of wcxb start with a section of 300–1,500 characters)
    static let secondOpinionShortLength = 1500
    /// …more link text than this share (readability's link-density limit)…
    static let secondOpinionLinkDensity = 0.3
    /// …or holds less than this share of the page's running text (fit half).
    static let secondOpinionRunningShare = 0.5
    /// A block around the paragraph scorer's choice replaces it when it scores at least this
    /// factor more on the density scale and what it adds is below this link density: the
    /// article continues in sibling sections, step lists or tables (fitted on the fit half:
    /// 1.5 and readability's 0.3 link-density limit gain most on wcxb long posts and the
    /// wcxb_nonarticle pages split into blocks, while l3s_gn1's teaser columns beside 2008 news
    /// stories stay out; fit pages below F1 0.5: 318 with 2.0/0.15, 283 with 1.5/0.3).
    /// A short choice inside `<main>` gives way to the `<main>` when that holds this factor more
    /// text with at most this link density (fit half: wcxb_nonarticle service, listing and
    /// forum pages).
    static let mainLandmarkGrowth = 2.0
    /// A short choice is joined to the page's `<h1>` when the text between them is at least this
    /// share of the choice (fit half: a news headline sits right above its story; service pages
    /// show their content between heading and the block that won).
    static let headingGapShare = 1.0
    static let mainLandmarkLinkDensity = 0.5
    static let continuationScoreFactor = 1.5
    static let continuationLinkDensity = 0.3
}

