import Foundation
import Extraction
import TidingsCore

/// Chooses the article links among all links of a listing page, with no configuration.
///
/// Links are grouped by their place in the page (the same tag path: the records of one list,
/// the cells of one table column, the cards of one grid). Each group is scored on evidence
/// that carries over to sites nobody here has seen, every part shown by `--explain`:
/// - text: how many of its links read like headlines (`HeadlineText`);
/// - URL: article-shaped URLs (dates, ids, slugs, `content_123.html`) against section, tag and
///   pagination URLs (`ArticleURLShape`);
/// - structure: how many of its links share one URL template (`URLTemplate`), scaled by how
///   many records repeat: a list of short titles with one URL shape passes, a menu of short
///   links to `/world`, `/sport` does not;
/// - furniture: `nav`/`footer`/`aside`/page `header`/`form` around the group drop it; class and
///   id tokens naming furniture (`PageRegions`) lower its score;
/// - columns: in a named two-column layout, the secondary column's lists are dropped when the
///   primary column has one.
/// The cost is linear in the page: each element is read once (`PageRegions`), each link once.
struct PageLinkAnalysis {
    /// Weights and threshold of the group score, fitted on bench/discovery (dev half) and
    /// Tests/DiscoveryTests/Fixtures/listings; see `score(of:)`.
    static let textWeight = 1.0
    static let urlWeight = 0.6
    static let structureWeight = 0.8
    /// Records that link their page twice (an image and a headline, a headline and "Read more")
    /// are a list's cards: no menu links an item twice. Weighs the share of a group's targets
    /// also linked by another group within `twinLevels` of the anchor (fitted on bench/discovery
    /// dev half: WPBakery and Elementor post grids, news cards just under the threshold).
    static let twinWeight = 0.3
    static let twinLevels = 4
    static let furniturePenalty = 1.2
    /// Ads and forms name regions weakly: ads lead off-site (those links are never candidates),
    /// so same-site headlines under an `ad` token sit in a layout box (wired.com's grids), and
    /// whole pages live in ASP.NET and Drupal `<form>`s.
    static let weakFurniturePenalty = 0.5

    static func penalty(for kind: PageRegions.Kind) -> Double {
        kind == .advertising || kind == .forms ? weakFurniturePenalty : furniturePenalty
    }
    /// Links whose text has no word (dates, counts, image-only links) count against a group:
    /// a column of "2016-11-02 17:33" last-post links is not the list of threads.
    static let untitledPenalty = 0.8
    static let keepThreshold = 1.1
    /// A list's links are mostly headlines…
    static let listHeadlineShare = 0.5
    /// …or it is a long list of short titles: this many records, this share titled, this
    /// share of one URL template (the essay lists of personal sites); such a list's text
    /// part counts as this.
    static let shortTitleListRecords = 8.0
    static let shortTitleListTitled = 0.9
    static let shortTitleListConsistency = 0.8
    static let shortTitleListCredit = 0.6
    /// A list of described cards (`CardRecords`) counts like a list of short titles when this
    /// share of its records is described.
    static let cardListShare = 0.8
    /// Records a list needs for its structure to count fully (fewer scale it down, log-wise).
    static let fullStructureRecords = 16.0
    /// Elements after the link's own element searched for its date (title cell + date cell).
    static let dateSiblingsRead = 2
    /// An element holding more links than this is a list, not one item: its dates belong to
    /// other items (one item holds its title link, maybe an image and an author link).
    static let maximumLinksPerItem = 3
    /// Ancestors this close to the anchor (the `li`, the `ul`, the box around it) do not put
    /// their class into the group key: lists alternate `odd`/`even`/`first` classes on items
    /// and portals give each section box its own class. Tuned on the labelled listings.
    static let classlessLevels = 3
    /// An element holding at least this share of the page's links is a page wrapper, not a
    /// region: WordPress themes put `has-sidebar right-sidebar` on `<body>`, portals wrap
    /// everything in `div#ad-wrap`-like containers. Sidebars in the labelled set hold 10–35%.
    static let wrapperLinkShare = 0.6
    /// …or at least this share of its headline-like links: the region around the main list
    /// (`div.tower-inhouse-ad`, `section.side-by-side`, a Drupal view's `<form>`) describes
    /// the page, and its names are no evidence against the list.
    static let wrapperHeadlineShare = 0.5
    /// A furniture token around at least this share of the page's headline links (in boxes
    /// that are neither wrappers nor the main region) is the page builder's vocabulary, not a
    /// region's name: Elementor puts `elementor-widget` on every block of a page. The share is
    /// the main region's (`wrapperHeadlineShare`); on bench/discovery (dev half) it changes
    /// three pages: two Elementor sites (one also gains an Elementor carousel labelled
    /// secondary) and Ars Technica.
    static let builderVocabularyShare = 0.5
    /// Headline links a page needs before its names count as vocabulary.
    static let builderVocabularyHeadlines = 8

    let document: HTMLDocument
    let pageURL: URL
    let configuration: DiscoveryConfiguration

    struct Candidate {
        let url: URL
        let title: String
        let anchor: HTMLNode
        let group: Int
        let shape: ArticleURLShape
        let isHeadline: Bool
        /// Has a word or two CJK characters: a short title, not a date, a number or nothing.
        let isTitled: Bool
        let template: String
    }

    struct Member { var headline: Bool; var titled: Bool; var shape: ArticleURLShape; var template: String; var title: String }

    struct Group {
        /// Candidate indices of its first and last link.
        var first: Int
        var last = 0
        var container: HTMLNode?
        var urls: [String: Member] = [:]
        var order: [String] = []
        var sample: [String] = []
        var dominantTemplate = ""
        /// The dominant template with its variable parts merged (`blog/s` and `blog/x` are one).
        var dominantLooseTemplate = ""
        /// The route its links share when that is more of them than share a template (`URLTemplate.route`).
        var dominantRoute: String?
        var parts = LinkGroupExplanation.Parts(text: 0, url: 0, structure: 0, furniture: 0)
        var score = 0.0
        var headlineShare = 0.0
        var kept = false
        /// Kept as the best group of a page where none passed: all its links count, since its
        /// evidence (short titles, many URL shapes) is what fell short.
        var isFallback = false
        var reason = ""
        var column: (role: PageRegions.ColumnRole, element: HTMLNode)?
        /// The region of its records' own box (the anchor's ancestor `classlessLevels` up, whose
        /// region is part of the group key, so all its records share it): a group spanning
        /// several `<nav>` menus has a container above them all, while each record is in a menu.
        var recordRegion = PageRegions.Region()
        /// Kept as a long list of short titles of one URL shape (not by its headlines).
        var byShortTitles = false
        /// Share of its targets that another group's anchor in the same record links too.
        var twinShare = 0.0
        /// Share of its records whose box describes them outside the link (`CardRecords`).
        var describedShare = 0.0
        /// A list of described cards: like a fallback group, all its links to pages count.
        var isCardList = false
    }

    /// The analysis of one page: candidates in document order and their groups.
    struct Analysis {
        var candidates: [Candidate]
        var groups: [Group]
        var linksInside: [HTMLNode: Int]
        var regions: PageRegions
        /// Steps taken over elements (ancestor walks, elements and siblings read): what the
        /// linearity test counts, since timing is not a test.
        var operations: Int
    }

    func articleLinks(limit: Int) -> [DiscoveredLink] {
        links(from: analyze(), limit: limit)
    }

    func explanation() -> ([LinkGroupExplanation], [DiscoveredLink]) {
        let analysis = analyze()
        let groups = analysis.groups.map { g -> LinkGroupExplanation in
            LinkGroupExplanation(path: Self.path(of: analysis.candidates[g.first].anchor), links: g.order.count,
                                 sample: g.sample, urls: g.order, parts: g.parts, score: g.score, kept: g.kept, reason: g.reason)
        }
        return (groups, links(from: analysis, limit: Int.max))
    }

    func links(from analysis: Analysis, limit: Int) -> [DiscoveredLink] {
        var seen = Set<String>()
        var links: [DiscoveredLink] = []
        for c in analysis.candidates where links.count < limit {
            let group = analysis.groups[c.group]
            guard group.kept, c.shape != .notArticle else { continue }
            guard group.isFallback || group.isCardList || c.isHeadline || c.shape == .article
                    || URLTemplate.loose(c.template) == group.dominantLooseTemplate
                    || (group.dominantRoute != nil && URLTemplate.route(c.template) == group.dominantRoute) else { continue }
            guard seen.insert(c.url.absoluteString).inserted else { continue }
            links.append(DiscoveredLink(url: c.url, title: c.title,
                                        dateHint: dateHint(for: c, linksInside: analysis.linksInside), via: .pageLinks))
        }
        return links
    }

    func analyze() -> Analysis {
        struct Link { let anchor: HTMLNode; let url: URL; let title: String; let isHeadline: Bool; let shape: ArticleURLShape }
        let pageKey = LinkTarget.withoutFragment(pageURL).absoluteString
        var found: [Link] = []
        for anchor in document.select(xpath: "//a[@href]") {
            guard let href = anchor.attribute("href"), let url = LinkTarget.resolve(href, in: document) else { continue }
            guard url.absoluteString != pageKey else { continue }
            if configuration.sameSiteOnly && !SiteIdentity.isSameSite(url, pageURL) { continue }
            // A link inside a sentence of a summary is not one of the list's records.
            if LinkTarget.isInProse(anchor) { continue }
            let shape = ArticleURLShape.classify(url, site: pageURL)
            if Self.isCampaignLink(url) && !(url.host == pageURL.host && shape == .article) { continue }
            let title = LinkTarget.title(of: anchor)
            let isHeadline = HeadlineText.looksLikeTitle(title)
            found.append(Link(anchor: anchor, url: url, title: title, isHeadline: isHeadline, shape: shape))
        }
        var linksInside: [HTMLNode: Int] = [:]
        var headlinesInside: [HTMLNode: Int] = [:]
        var steps = 0
        for link in found {
            var node = link.anchor.parent
            while let element = node {
                linksInside[element, default: 0] += 1
                if link.isHeadline { headlinesInside[element, default: 0] += 1 }
                node = element.parent
                steps += 1
            }
        }
        let wrapperLinks = max(2, Double(found.count) * Self.wrapperLinkShare)
        let wrapperHeadlines = max(2, Double(found.filter(\.isHeadline).count) * Self.wrapperHeadlineShare)
        // A wrapper holds most links and most headlines: a mega menu of 300 product links holds
        // most links but few headlines, and its `nav`/`menu` names still count against it.
        let regions = PageRegions(isWrapper: { Double(linksInside[$0] ?? 0) >= wrapperLinks && Double(headlinesInside[$0] ?? 0) >= wrapperHeadlines },
                                  isMainRegion: { Double(headlinesInside[$0] ?? 0) >= wrapperHeadlines },
                                  isHeadlineDense: { Double(headlinesInside[$0] ?? 0) >= Double(linksInside[$0] ?? 0) * Self.listHeadlineShare })
        let vocabulary = Self.builderVocabulary(of: found.filter(\.isHeadline).map(\.anchor), regions: regions)
        var candidates: [Candidate] = []
        var groups: [Group] = []
        var groupIndex: [Int: Int] = [:]
        for link in found {
            let shape = link.shape
            // Section, tag and pagination links sharing a tag path with a list (a table's menu
            // cells beside its title cells) form their own group: they are never articles.
            let key = Self.groupKey(of: link.anchor, regions: regions, steps: &steps) &+ (shape == .notArticle ? 1 : 0)
            let index: Int
            if let known = groupIndex[key] { index = known } else {
                index = groups.count
                groupIndex[key] = index
                var group = Group(first: candidates.count)
                group.recordRegion = Self.recordRegion(of: link.anchor, regions: regions, steps: &steps)
                groups.append(group)
            }
            let c = Candidate(url: link.url, title: link.title, anchor: link.anchor, group: index,
                              shape: shape,
                              isHeadline: link.isHeadline, isTitled: HeadlineText.hasWords(link.title),
                              template: URLTemplate.of(link.url))
            Self.add(c, to: &groups[index], steps: &steps)
            groups[index].last = candidates.count
            candidates.append(c)
        }
        Self.measureTwins(&groups, candidates: candidates, steps: &steps)
        Self.measureCards(&groups, candidates: candidates, headlinesInside: headlinesInside, steps: &steps)
        for i in groups.indices {
            score(&groups[i], regions: regions, vocabulary: vocabulary)
        }
        dropRecordCompanions(&groups, candidates: candidates)
        dropSecondaryColumn(&groups)
        dropShortTitlesBesideHeadlines(&groups)
        let lists = Set(groups.filter { $0.kept && $0.order.count >= 2 }.compactMap(\.container))
        let column = Self.mainColumn(of: document.root, headlinesInside: headlinesInside, lists: lists, steps: &steps)
        reviewLoneLinks(&groups, mainColumn: column, regions: regions, vocabulary: vocabulary, steps: &steps)
        keepBestWhenNoneKept(&groups, regions: regions)
        return Analysis(candidates: candidates, groups: groups, linksInside: linksInside, regions: regions,
                        operations: steps + regions.elementsRead + regions.siblingsRead)
    }

    static func add(_ c: Candidate, to group: inout Group, steps: inout Int) {
        let key = c.url.absoluteString
        if var known = group.urls[key] {
            known.headline = known.headline || c.isHeadline
            known.titled = known.titled || c.isTitled
            group.urls[key] = known
        } else {
            group.urls[key] = Member(headline: c.isHeadline, titled: c.isTitled, shape: c.shape, template: c.template, title: c.title)
            group.order.append(key)
            if group.sample.count < 3 && !c.title.isEmpty { group.sample.append(c.title) }
        }
        guard let parent = c.anchor.parent else { return }
        group.container = group.container.map { lowestCommonAncestor($0, parent, steps: &steps) } ?? parent
    }

    /// Scores a group and decides (see the type's comment for the parts).
    func score(_ group: inout Group, regions: PageRegions, vocabulary: Set<String>) {
        let n = Double(group.order.count)
        let members = group.order.compactMap { group.urls[$0] }
        // "第 1 页", "Page 2", "12": one text with a changing number is a pager or a column of
        // counts, however many words it has.
        let numbered = Self.isNumberedSequence(members.map(\.title))
        let headlines = numbered ? 0 : Double(members.filter(\.headline).count)
        let untitled = numbered ? n : Double(members.filter { !$0.titled }.count)
        let articles = Double(members.filter { $0.shape == .article }.count)
        let sections = Double(members.filter { $0.shape == .notArticle }.count)
        var templates: [String: Int] = [:]
        var routes: [String: Int] = [:]
        for m in members {
            templates[m.template, default: 0] += 1
            if let route = URLTemplate.route(m.template) { routes[route, default: 0] += 1 }
        }
        let dominant = templates.max { ($0.value, $1.key) < ($1.value, $0.key) }
        group.dominantTemplate = dominant?.key ?? ""
        group.dominantLooseTemplate = URLTemplate.loose(group.dominantTemplate)
        // Records named by a word at the end of a deep route (`/shows/view/id/onitapps`) share
        // that route, as records with ids share a template.
        let dominantRoute = routes.max { ($0.value, $1.key) < ($1.value, $0.key) }
        if let route = dominantRoute, route.value > dominant?.value ?? 0 { group.dominantRoute = route.key }
        var consistency = Double(max(dominant?.value ?? 0, dominantRoute?.value ?? 0)) / max(n, 1)
        let size = min(1, log2(max(n, 1)) / log2(Self.fullStructureRecords))
        let named = Self.merged(group.container.map(regions.region(of:)) ?? PageRegions.Region(), group.recordRegion)
        let region = Self.withoutVocabulary(named, vocabulary)
        group.headlineShare = headlines / max(n, 1)
        // A list of short titles ("Cities", "Very Bad") counts when it is long, fully titled and
        // of one URL shape: a menu is short or of many shapes.
        let titled = (n - untitled) / max(n, 1)
        let isShortTitleList = n >= Self.shortTitleListRecords && titled >= Self.shortTitleListTitled
            && consistency >= Self.shortTitleListConsistency && sections == 0
        // Described cards named by one word each (`/products/testsprite`) share a folder where
        // a list named by slugs shares a template.
        let isCardList = !numbered && group.describedShare >= Self.cardListShare && titled >= Self.shortTitleListTitled
        if isCardList { consistency = max(consistency, Self.folderShare(of: members)) }
        group.isCardList = isCardList
        group.column = region.column
        let headlineText = max(group.headlineShare, isShortTitleList || isCardList ? Self.shortTitleListCredit : 0)
        group.parts = .init(text: Self.textWeight * headlineText - Self.untitledPenalty * untitled / max(n, 1),
                            url: Self.urlWeight * (articles - sections) / max(n, 1),
                            structure: Self.structureWeight * consistency * size + Self.twinWeight * group.twinShare,
                            furniture: region.hints.isEmpty ? 0 : -(region.hints.keys.map(Self.penalty(for:)).max() ?? 0))
        group.score = group.parts.text + group.parts.url + group.parts.structure + group.parts.furniture
        if let element = region.element {
            group.reason = "dropped: inside <\(element)>"
        } else if n < 2 {
            // A lone story needs a headline, an article URL and the score of a list: furniture
            // names around it (`rail`, `sidebar`) weigh against it as against a list.
            let story = members.first.map { $0.headline && $0.shape == .article } ?? false
            group.kept = story && group.score >= Self.keepThreshold
            group.reason = group.kept ? "kept: a lone headline with an article URL"
                : story ? String(format: "dropped: a lone headline scoring %.2f < %.2f", group.score, Self.keepThreshold)
                : "dropped: a lone link without a headline and an article URL"
        } else if group.score >= Self.keepThreshold && (group.headlineShare >= Self.listHeadlineShare || isShortTitleList || isCardList) {
            group.kept = true
            group.byShortTitles = group.headlineShare < Self.listHeadlineShare
            group.reason = String(format: "kept: score %.2f ≥ %.2f", group.score, Self.keepThreshold)
        } else if group.score >= Self.keepThreshold {
            group.reason = "dropped: few headlines, and not a long list of short titles of one URL shape"
        } else {
            group.reason = String(format: "dropped: score %.2f < %.2f", group.score, Self.keepThreshold)
        }
        let ignored = Set(named.furnitureTokens.keys).intersection(vocabulary)
        if !ignored.isEmpty {
            group.reason += "; " + ignored.sorted().joined(separator: ", ") + " ignored (names the boxes of most of the page's headlines)"
        }
        if !region.hints.isEmpty {
            let names = region.hints.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) (\($0.key.rawValue))" }
            group.reason += "; region named " + names.joined(separator: ", ")
        }
    }

    /// The region of the anchor's ancestor `classlessLevels` up (its record's box, the level
    /// whose region joins the group key), or of its highest ancestor on a shallow page.
    static func recordRegion(of anchor: HTMLNode, regions: PageRegions, steps: inout Int) -> PageRegions.Region {
        var node = anchor.parent
        var distance = 1
        while let element = node, distance < classlessLevels, let parent = element.parent {
            node = parent
            distance += 1
            steps += 1
        }
        return node.map(regions.region(of:)) ?? PageRegions.Region()
    }

    /// Furniture tokens that name the boxes of most of the page's headline links.
    static func builderVocabulary(of headlines: [HTMLNode], regions: PageRegions) -> Set<String> {
        guard headlines.count >= builderVocabularyHeadlines else { return [] }
        var counts: [String: Int] = [:]
        for anchor in headlines {
            guard let parent = anchor.parent else { continue }
            for token in regions.region(of: parent).furnitureTokens.keys { counts[token, default: 0] += 1 }
        }
        let needed = Double(headlines.count) * builderVocabularyShare
        return Set(counts.filter { Double($0.value) >= needed }.keys)
    }

    static func withoutVocabulary(_ region: PageRegions.Region, _ vocabulary: Set<String>) -> PageRegions.Region {
        guard !vocabulary.isEmpty else { return region }
        var region = region
        region.hints = region.hints.filter { !vocabulary.contains($0.value) }
        for (token, kind) in region.furnitureTokens.sorted(by: { $0.key < $1.key }) where region.hints[kind] == nil && !vocabulary.contains(token) {
            region.hints[kind] = token
        }
        return region
    }

    /// Elements around each record that make a group navigation even when the group's common
    /// container is above them (menus split over several `<nav>`s). Only menus: `aside`s and
    /// furniture names between the container and the records also wrap section blocks of a
    /// home page's main column (bench/discovery dev half: t-online, TechCrunch, Volksstimme).
    static let recordMenuElements: Set<String> = ["nav", "menu"]

    /// The container's region, inside a menu when each record is.
    static func merged(_ container: PageRegions.Region, _ record: PageRegions.Region) -> PageRegions.Region {
        var region = container
        if region.element == nil, let element = record.element, recordMenuElements.contains(element) { region.element = element }
        return region
    }

    /// A list of short titles is the page's list only where no list of headlines is: beside
    /// one, short titles of another URL template are shortcuts to categories, brands or
    /// sources (a shop's category tiles above its products, the publisher names in a news
    /// aggregator's cards, a menu of sections). Those of a headline list's exact template
    /// (its records with shorter titles) stay.
    /// Headlines needed before a group is a list whose neighbours are its records' furniture:
    /// two long links (a shop grid's promotional cards among its 22 products) are no list.
    static let headlineListRecords = 3

    func dropShortTitlesBesideHeadlines(_ groups: inout [Group]) {
        let headlineTemplates = Set(groups.filter { $0.kept && !$0.byShortTitles && $0.order.count >= Self.headlineListRecords
            && $0.headlineShare >= Self.listHeadlineShare }.map(\.dominantTemplate))
        guard !headlineTemplates.isEmpty else { return }
        for i in groups.indices where groups[i].kept && groups[i].byShortTitles {
            guard !headlineTemplates.contains(groups[i].dominantTemplate) else { continue }
            groups[i].kept = false
            groups[i].reason = "dropped: short titles of another URL template beside a list of headlines (categories, brands, sources)"
        }
    }

    /// Records needed before equal words with changing numbers count as a pager, not a coincidence.
    static let numberedSequenceRecords = 3
    /// Characters around the number in a pager's links: "第页", "Page", "Seite", "Página" (the
    /// pagers of the labelled set); a title ("Ranked story number 12 of the year") has more.
    static let numberedSequenceWordCharacters = 6

    /// True when the titles are one short word with a changing number ("第 1 页", "第 2 页";
    /// "Page 2"; "2", "3", "35").
    static func isNumberedSequence(_ titles: [String]) -> Bool {
        guard titles.count >= numberedSequenceRecords, titles.allSatisfy({ $0.contains(where: \.isNumber) }) else { return false }
        let stems = Set(titles.map { $0.filter { !$0.isNumber && !$0.isWhitespace } })
        // The same alt text on every image ("Best of Year 2023") is one title, not a sequence.
        return stems.count == 1 && stems.first!.count <= numberedSequenceWordCharacters && Set(titles).count > 1
    }

    /// Query keys of campaign tracking: a link to the page's own site that carries them is a
    /// cross-promotion box (the German front pages' shop, marketplace and app teasers), not the
    /// list — unless it leads to an article on the page's own host: the site tracking its own
    /// home-page boxes (globalnews.ca's Editor's Picks, `?utm_source=Home`).
    static let campaignQueryPrefixes = ["utm_", "wt_zmc", "wt_mc", "pk_campaign", "mtm_campaign"]

    static func isCampaignLink(_ url: URL) -> Bool {
        guard let query = url.query?.lowercased(), !query.isEmpty else { return false }
        return query.split(separator: "&").contains { item in campaignQueryPrefixes.contains { item.hasPrefix($0) } }
    }

    /// Groups that share their container with a headline group sit in the same records (one
    /// card: headline link, author link, category link, comment count): only the headline
    /// groups are the list; the others are the records' furniture, unless they lead to the
    /// same pages (an image link beside the headline). When two kept groups pair up record by
    /// record (as many links each, the second's first link after the first's, its last after
    /// the first's last: a forum row's forum name and last post, a concert's title and venue),
    /// the record's first link is its title and the other is furniture, headlines or not.
    func dropRecordCompanions(_ groups: inout [Group], candidates: [Candidate]) {
        var bestByContainer: [HTMLNode: Int] = [:]
        var firstByContainer: [HTMLNode: Int] = [:]
        for i in groups.indices where groups[i].kept && groups[i].order.count >= 2 {
            guard let c = groups[i].container else { continue }
            if firstByContainer[c] == nil { firstByContainer[c] = i }
            guard groups[i].order.count >= Self.headlineListRecords else { continue }
            if let b = bestByContainer[c], groups[b].headlineShare >= groups[i].headlineShare { continue }
            bestByContainer[c] = i
        }
        let kept = Set(groups.indices.filter { groups[$0].kept })
        for i in groups.indices where groups[i].kept {
            guard let c = groups[i].container else { continue }
            if let f = firstByContainer[c], f != i, Self.pairsRecordByRecord(groups[f], groups[i], f, i, candidates, keptGroups: kept) {
                groups[i].kept = false
                groups[i].reason = "dropped: the second link of the same records (last posts, venues, bylines)"
                continue
            }
            guard let b = bestByContainer[c], b != i else { continue }
            let best = groups[b]
            if let f = firstByContainer[c], f == i, Self.pairsRecordByRecord(groups[i], best, i, b, candidates, keptGroups: kept) { continue }
            guard best.headlineShare >= Self.listHeadlineShare, groups[i].headlineShare < Self.listHeadlineShare else { continue }
            let shared = groups[i].order.filter { best.urls[$0] != nil }.count
            if Double(shared) < Double(groups[i].order.count) / 2 {
                groups[i].kept = false
                groups[i].reason = "dropped: beside the headlines of the same records (bylines, categories, counts)"
            }
        }
    }

    /// Sets each group's `twinShare`: the share of its targets that an anchor of another group
    /// links within `twinLevels` ancestors of one of its own anchors.
    static func measureTwins(_ groups: inout [Group], candidates: [Candidate], steps: inout Int) {
        var byTarget: [URL: [Int]] = [:]
        for (k, c) in candidates.enumerated() { byTarget[c.url, default: []].append(k) }
        var twinned = Set<Int>()  // candidate indices with a near twin in another group
        for (_, ks) in byTarget where ks.count >= 2 && ks.count <= maximumLinksPerItem * 2 {
            for a in ks.indices {
                for b in ks.indices where b > a && candidates[ks[a]].group != candidates[ks[b]].group {
                    steps += 2 * twinLevels
                    if areNear(candidates[ks[a]].anchor, candidates[ks[b]].anchor) {
                        twinned.insert(ks[a])
                        twinned.insert(ks[b])
                    }
                }
            }
        }
        var targets: [Int: Set<URL>] = [:]
        for k in twinned { targets[candidates[k].group, default: []].insert(candidates[k].url) }
        for (g, urls) in targets { groups[g].twinShare = Double(urls.count) / Double(max(1, groups[g].order.count)) }
    }

    /// True when the two anchors' nearest common ancestor is at most `twinLevels` above each.
    static func areNear(_ a: HTMLNode, _ b: HTMLNode) -> Bool {
        var above: [HTMLNode] = []
        var node = a.parent
        while let e = node, above.count < twinLevels { above.append(e); node = e.parent }
        node = b.parent
        var level = 0
        while let e = node, level < twinLevels {
            if above.contains(e) { return true }
            node = e.parent
            level += 1
        }
        return false
    }

    /// Sets each group's `describedShare` from its first link to each target, in page order.
    static func measureCards(_ groups: inout [Group], candidates: [Candidate], headlinesInside: [HTMLNode: Int], steps: inout Int) {
        var anchors: [Int: [(anchor: HTMLNode, isHeadline: Bool)]] = [:]
        var seen = Set<String>()
        for c in candidates where groups[c.group].order.count >= CardRecords.minimumRecords {
            if seen.insert("\(c.group) \(c.url.absoluteString)").inserted { anchors[c.group, default: []].append((c.anchor, c.isHeadline)) }
        }
        for (g, list) in anchors {
            groups[g].describedShare = CardRecords.describedShare(list, headlinesInside: headlinesInside, steps: &steps)
        }
    }

    /// The share of members whose URL lies in the commonest folder (the template above its last part).
    static func folderShare(of members: [Member]) -> Double {
        var folders: [Substring: Int] = [:]
        for m in members { if let f = folder(of: m.template) { folders[f, default: 0] += 1 } }
        return Double(folders.values.max() ?? 0) / Double(max(1, members.count))
    }

    /// `host/products` for `host/products/testsprite`; nil without a folder or with a query.
    static func folder(of template: String) -> Substring? {
        guard !template.contains("?") else { return nil }
        var end = template.endIndex
        if template.hasSuffix("/") { end = template.index(before: end) }
        guard let slash = template[..<end].lastIndex(of: "/"), template[..<slash].contains("/") else { return nil }
        return template[..<slash]
    }

    /// Records two groups must both span before they count as paired.
    static let pairedRecords = 3

    /// True when `second` is `first`'s companion in the same records: equally many links to other
    /// pages, starting after `first` starts and ending after it ends, and alternating with it
    /// record by record (one target of each per record). Two halves of one list split into a
    /// left and a right box per section (stuff.co.nz) interleave by section, not by record, with
    /// other kept headlines between them.
    static func pairsRecordByRecord(_ first: Group, _ second: Group, _ firstIndex: Int, _ secondIndex: Int,
                                    _ candidates: [Candidate], keptGroups: Set<Int>) -> Bool {
        let n = first.order.count
        guard n >= pairedRecords, second.order.count == n, first.first < second.first, second.first < first.last, first.last < second.last,
              !second.order.contains(where: { first.urls[$0] != nil }) else { return false }
        var runGroup = -1
        var runTarget: URL?
        for c in candidates[first.first...second.last] {
            if c.group != firstIndex && c.group != secondIndex {
                // other kept headlines between them: the records are sections of a page, not rows
                if c.isHeadline && keptGroups.contains(c.group) { return false }
                continue
            }
            if c.group != runGroup {
                runGroup = c.group
                runTarget = c.url
            } else if c.url != runTarget {
                return false
            }
        }
        return true
    }

    /// Links the best group needs to be kept on a page where no group passed.
    static let fallbackRecords = 3

    /// A page with a list whose evidence fell short everywhere (short titles of many URL shapes,
    /// no headline-long text) would give nothing: its best-scoring group outside page furniture
    /// elements and furniture names, with titled links and no section URLs on balance, is taken
    /// instead (GitHub's trending list of `owner / repo` titles in the dev half).
    func keepBestWhenNoneKept(_ groups: inout [Group], regions: PageRegions) {
        guard !groups.contains(where: \.kept) else { return }
        var best: Int?
        for i in groups.indices where groups[i].order.count >= Self.fallbackRecords && groups[i].parts.text >= 0 && groups[i].parts.url >= 0 && groups[i].parts.furniture == 0 {
            guard let c = groups[i].container, regions.region(of: c).element == nil else { continue }
            if let b = best, groups[b].score >= groups[i].score { continue }
            best = i
        }
        guard let b = best, groups[b].score > 0 else { return }
        groups[b].kept = true
        groups[b].isFallback = true
        groups[b].reason = String(format: "kept: the best group (score %.2f) of a page where none passed", groups[b].score)
    }

    /// Share of the page's headlines the main column holds (the deepest element holding them).
    static let mainColumnHeadlineShare = 0.5

    /// The deepest element holding at least half of the page's headline links, above the lists
    /// themselves (a kept list's container is a list, not the column it stands in): the column
    /// the page's lists are in (nil for a page without headlines).
    static func mainColumn(of root: HTMLNode?, headlinesInside: [HTMLNode: Int], lists: Set<HTMLNode>, steps: inout Int) -> HTMLNode? {
        guard let root, let total = headlinesInside[root], total > 0 else { return nil }
        let needed = Double(total) * mainColumnHeadlineShare
        var column = root
        while !lists.contains(column), let child = column.elementChildren.first(where: { Double(headlinesInside[$0] ?? 0) >= needed }),
              !lists.contains(child) {
            steps += column.elementChildren.count
            column = child
        }
        return column
    }

    /// A lone link is kept when it reads as a story where stories are: in the main column with
    /// no furniture names around it, or on the route of a kept list (a big teaser above the
    /// list it belongs to). A lone headline in a side box (an author's name, a promotion) is not.
    func reviewLoneLinks(_ groups: inout [Group], mainColumn: HTMLNode?, regions: PageRegions, vocabulary: Set<String>, steps: inout Int) {
        let routes = Set(groups.filter { $0.kept && $0.order.count >= 2 }.map(\.dominantLooseTemplate))
        for i in groups.indices where groups[i].kept && groups[i].order.count == 1 {
            guard let member = groups[i].order.first.flatMap({ groups[i].urls[$0] }) else { continue }
            if routes.contains(URLTemplate.loose(member.template)) { continue }
            let region = Self.withoutVocabulary(groups[i].container.map(regions.region(of:)) ?? PageRegions.Region(), vocabulary)
            var inColumn = false
            var node = groups[i].container
            while let element = node, !inColumn, let column = mainColumn {
                inColumn = element == column
                node = element.parent
                steps += 1
            }
            if !inColumn || !region.hints.isEmpty {
                groups[i].kept = false
                groups[i].reason = "dropped: a lone headline outside the main column or in a named box, on no kept list's route"
            }
        }
    }

    /// The secondary (right) column of a two-column layout whose primary (left/main) column
    /// holds an article list: the right column's lists are then teasers for other sections
    /// (the seed corpus page's 生活指南/民生 boxes, often longer than the page's own list).
    /// Kept when the primary column has no list (government sites put the list right of a menu).
    func dropSecondaryColumn(_ groups: inout [Group]) {
        guard let primary = groups.first(where: { $0.kept && $0.column?.role == .primary })?.column?.element else { return }
        for i in groups.indices where groups[i].kept {
            if let column = groups[i].column, column.role == .secondary, column.element.parent == primary.parent {
                groups[i].kept = false
                groups[i].reason = "dropped: secondary column beside the main list"
            }
        }
    }

    /// Table cells keep their class (not their id) even close to the anchor: it names a column
    /// (Hacker News rows: `td.title` holds the story, `td.subtext` its age, author and comment
    /// links), where rows and list items alternate `odd`/`even`. Digits are dropped as
    /// everywhere (`row1`/`row2` cells of phpBB are one column).
    static let cellElements: Set<String> = ["td", "th"]

    /// A hash of the anchor's tag path: tag names, and for ancestors above `classlessLevels`
    /// their first class and id without digits (`item-123` and `item-124` are one structure).
    /// The furniture the region at that level is named for joins the key, so `div#main > ul >
    /// li > a` and `div#sidebar > ul > li > a` stay two groups; table cells add their class
    /// at every level (`cellElements`).
    static func groupKey(of anchor: HTMLNode, regions: PageRegions, steps: inout Int) -> Int {
        var hasher = Hasher()
        var node = anchor.parent
        var distance = 1
        while let element = node {
            hasher.combine(element.name)
            if distance == classlessLevels {
                let region = regions.region(of: element)
                hasher.combine(region.element)
                for kind in PageRegions.Kind.allCases where region.hints[kind] != nil { hasher.combine(kind) }
            }
            if distance > classlessLevels {
                hasher.combine(keyPart(of: element))
            } else if Self.cellElements.contains(element.name) {
                hasher.combine(firstClass(of: element))
            }
            node = element.parent
            distance += 1
            steps += 1
        }
        return hasher.finalize()
    }

    /// The first class without digits (`row1` and `row2` are one), "" for none.
    static func firstClass(of element: HTMLNode) -> String {
        element.attribute("class")?.split(separator: " ").first.map { "." + $0.filter { !$0.isNumber } } ?? ""
    }

    static func keyPart(of element: HTMLNode) -> String {
        var part = firstClass(of: element)
        if let id = element.attribute("id"), !id.isEmpty { part += "#" + id.filter { !$0.isNumber } }
        return part
    }

    /// `div#main > ul.news-list > li > a`: the anchor's last few ancestors, for people.
    static func path(of anchor: HTMLNode, levels: Int = 5) -> String {
        var parts = ["a"]
        var node = anchor.parent
        while let element = node, parts.count <= levels {
            parts.append(element.name + keyPart(of: element))
            node = element.parent
        }
        return parts.reversed().joined(separator: " > ")
    }

    /// The nearest element above both (each is its own ancestor). Walks a's chain and b's up
    /// to the meeting point: at most twice the page's depth, which libxml2 caps at 256.
    static func lowestCommonAncestor(_ a: HTMLNode, _ b: HTMLNode, steps: inout Int) -> HTMLNode {
        var ancestors = Set<HTMLNode>()
        var node: HTMLNode? = a
        while let e = node { ancestors.insert(e); node = e.parent; steps += 1 }
        node = b
        while let e = node { if ancestors.contains(e) { return e }; node = e.parent; steps += 1 }
        return a
    }

    /// The element's text, or nil when it is longer than `limit` (stops walking there, so a
    /// list of thousands of items is not read once per link).
    static func text(of element: HTMLNode, upTo limit: Int) -> String? {
        var text = ""
        return appendText(of: element, to: &text, limit: limit) ? text : nil
    }

    /// Depth-first text collection that stops as soon as the text passes `limit`.
    private static func appendText(of node: HTMLNode, to text: inout String, limit: Int) -> Bool {
        if node.isText {
            text += node.text
            return text.count <= limit
        }
        var child = node.children.first
        while let c = child {
            if !appendText(of: c, to: &text, limit: limit) { return false }
            child = c.nextSibling
        }
        return true
    }

    /// Text around a link longer than this is a teaser paragraph or a whole list, where a
    /// date would likely belong to something else.
    static let dateContextCharacters = 240

    /// A date printed in the link's own element or in one of the next two elements beside
    /// it (`<td><a/></td><td>2025-11-28</td>`, `<h3><a/></h3><span class="time">…`), else
    /// one in its URL. Containers of the whole list are never read (a date there belongs to
    /// another item, and reading them per link would be quadratic).
    func dateHint(for candidate: Candidate, linksInside: [HTMLNode: Int]) -> Timestamp? {
        let zone = configuration.timeZone
        let limit = Self.dateContextCharacters
        if let parent = candidate.anchor.parent, linksInside[parent, default: 0] <= Self.maximumLinksPerItem {
            if let text = Self.text(of: parent, upTo: limit), let t = DateScanner.first(in: text)?.timestamp(in: zone) { return t }
            var sibling = parent.nextSibling
            var elements = 0
            while let node = sibling, elements < Self.dateSiblingsRead {
                if node.isElement {
                    elements += 1
                    if linksInside[node, default: 0] > Self.maximumLinksPerItem { break }
                    if let text = Self.text(of: node, upTo: limit), let t = DateScanner.first(in: text)?.timestamp(in: zone) { return t }
                } else if node.isText, let t = DateScanner.first(in: node.text)?.timestamp(in: zone) {
                    return t
                }
                sibling = node.nextSibling
            }
        }
        return DateScanner.first(inURL: candidate.url)?.timestamp(in: zone)
    }
}
