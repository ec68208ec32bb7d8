import Foundation

/// Finds the elements that hold the article body with two scorers built differently:
/// - the paragraph scorer (readability's shape): paragraphs score by length, punctuation and
///   link density and credit their parent, grandparent and great-grandparent; the best
///   ancestor is taken with the siblings that score close to it;
/// - the density scorer: every element scores the running text of all paragraphs below it
///   minus the other text below it (link lists, furniture, short labels), so the element that
///   holds the whole article and little else wins, however deep its paragraphs sit.
/// The paragraph scorer decides; the density scorer is consulted when its choice is doubtful
/// (see `Heuristics.secondOpinion…`), and the text a choice keeps is compared on one scale.
struct ContentLocator {
    var analysis: DocumentAnalysis

    enum Scorer: String, Sendable {
        case paragraphs, density
    }

    /// One scored element, for `--explain`.
    struct Candidate: Sendable {
        var index: Int
        var scorer: Scorer
        var score: Double
    }

    struct Selection {
        /// The best-scoring element.
        var top: Int
        /// Elements to render, in document order (the top and the siblings that joined it).
        var roots: [Int]
        /// Which scorer's choice was taken.
        var scorer: Scorer
        /// The best candidates of both scorers, best first.
        var candidates: [Candidate]
        /// Why this choice won, in a sentence.
        var reason: String
    }

    /// Per-element sums the density scorer reads.
    private struct Mass {
        /// Weighted length of running text (paragraphs outside furniture, link text discounted).
        var running: [Double]
        /// The element before which half of the page's running text lies.
        var centre: Int
    }

    /// Scores candidates and returns the selection, or nil when no paragraph was found.
    /// - Parameter honouringFurniture: skip paragraphs inside furniture-named elements; the
    ///   second try (when the first finds too little) scores the whole page, because some sites
    ///   wrap the article itself in such a name.
    mutating func locate(honouringFurniture: Bool = true) -> Selection? {
        var records = analysis.records
        for i in records.indices {
            records[i].score = 0
            records[i].isCandidate = false
        }
        // The density scorer always leaves furniture out: it is the second opinion on the pages
        // where the paragraph scorer had to score furniture too.
        var inFurniture = [Bool](repeating: false, count: records.count)
        for i in records.indices {
            let p = records[i].parent
            inFurniture[i] = records[i].isBoilerplate || (p >= 0 && inFurniture[p])
        }
        let inBoilerplate = honouringFurniture ? inFurniture : [Bool](repeating: false, count: records.count)
        var running = [Double](repeating: 0, count: records.count)
        var candidates: [Int] = []
        func credit(_ index: Int, _ points: Double) {
            guard index >= 0 else { return }
            if !records[index].isCandidate {
                records[index].isCandidate = true
                records[index].score = Self.initialScore(records[index])
                candidates.append(index)
            }
            records[index].score += points
        }
        for i in records.indices {
            let r = records[i]
            guard r.kind.isBlock, r.kind != .heading, !inBoilerplate[i] else { continue }
            let length = r.own.weightedLength
            guard length >= Heuristics.minimumParagraphLength, r.own.characters > 0 else { continue }
            let linkShare = Double(r.ownLinkCharacters) / Double(r.own.characters)
            // teaser lists: list items that are partly links are headlines, not paragraphs (zh forums, sh "related")
            if r.listItems > 0 && r.kind == .paragraph && linkShare > Heuristics.teaserItemLinkShare { continue }
            if !inFurniture[i] { running[i] = Double(length) * (1 - linkShare) }
            let points = (1 + Double(r.own.punctuation)
                          + min(Double(length / Heuristics.paragraphLengthUnit), Heuristics.paragraphLengthBonusCap))
                * (1 - linkShare)
            guard points > 0 else { continue }
            // A paragraph's words describe its container; a container holding text directly
            // (old `<br>` layouts) is its own container.
            let first = r.kind == .paragraph ? r.parent : i
            credit(first, points)
            guard first >= 0 else { continue }
            let second = records[first].parent
            credit(second, points * Heuristics.grandparentShare)
            if second >= 0 { credit(records[second].parent, points * Heuristics.greatGrandparentShare) }
        }
        // the centre of the page's running text: the element before which half of it lies
        var centre = 0
        let half = running.reduce(0, +) / 2
        var seen = 0.0
        for i in records.indices {
            seen += running[i]
            if seen >= half { centre = i; break }
        }
        for i in stride(from: records.count - 1, through: 1, by: -1) where records[i].parent >= 0 {
            running[records[i].parent] += running[i]
        }
        var best: Int?
        for c in candidates {
            records[c].score *= (1 - records[c].linkDensity)
            if best == nil || records[c].score > records[best!].score { best = c }
        }
        analysis.records = records
        guard let top = best else { return nil }
        let mass = Mass(running: running, centre: centre)

        var roots = siblings(of: top)
        roots += sameClassBlocks(as: top, candidates: candidates, excluding: roots)
        roots.sort()
        let ranked = candidates.sorted { records[$0].score > records[$1].score }.prefix(Heuristics.explainedCandidates)
        var explained = ranked.map { Candidate(index: $0, scorer: .paragraphs, score: records[$0].score) }
        explained += densest(mass).map { Candidate(index: $0.index, scorer: .density, score: $0.score) }

        var selection = Selection(top: top, roots: roots, scorer: .paragraphs, candidates: explained,
                                  reason: "the paragraph scorer's best block")
        guard let doubt = doubt(about: roots, top: top, mass: mass) else { return selection }
        if let landmark = widerMainLandmark(around: roots) {
            let place = analysis.isAncestor(landmark, of: top) ? "around" : "apart from"
            return Selection(top: landmark, roots: [landmark], scorer: .paragraphs, candidates: explained,
                             reason: "the page's <main> \(place) the paragraph scorer's choice, which \(doubt): the page's main "
                                + "content is more than that block")
        }
        let headed = headingSpan(around: roots)
        func joinedToHeading(_ span: [Int]) -> Selection {
            Selection(top: top, roots: span, scorer: .paragraphs, candidates: explained,
                      reason: "the paragraph scorer's choice, which \(doubt), with what lies between it and the page's <h1>: "
                        + "the page's main content starts at its heading, well before that block")
        }
        guard let other = densestAncestor(of: roots, mass), !roots.contains(other), roots.allSatisfy({ analysis.isAncestor(other, of: $0) }) else {
            if let headed { return joinedToHeading(headed) }
            selection.reason = "the paragraph scorer's best block (it \(doubt), but no block around it scores better on density)"
            return selection
        }
        let ours = densityScore(roots, mass), theirs = densityScore([other], mass)
        var keptText = 0, keptLinks = 0
        for r in roots {
            keptText += Int(records[r].text.characters)
            keptLinks += Int(records[r].linkCharacters)
        }
        let addedLinkDensity = Double(Int(records[other].linkCharacters) - keptLinks) / Double(max(1, Int(records[other].text.characters) - keptText))
        let description = "\(Int(theirs)) vs \(Int(ours)) on the density scale, and \(Int(addedLinkDensity * 100))% links in what it adds"
        if theirs >= max(ours, 1) * Heuristics.continuationScoreFactor && addedLinkDensity <= Heuristics.continuationLinkDensity {
            selection = Selection(top: other, roots: [other], scorer: .density, candidates: explained,
                                  reason: "the density scorer's block around the paragraph scorer's choice, which \(doubt): the article "
                                    + "continues beyond it (\(description))")
        } else if let headed {
            selection = joinedToHeading(headed)
        } else {
            selection.reason = "the paragraph scorer's best block (it \(doubt), but the block around it does not continue the "
                + "article: \(description))"
        }
        return selection
    }

    /// The `<main>` (or `role=main`) element around a short choice, when it holds several times
    /// its text and is not mostly links: pages that are no single article (service pages,
    /// listings with descriptions, forum threads) mark their main content so, and a short block
    /// inside it is only a part of it.
    private func widerMainLandmark(around roots: [Int]) -> Int? {
        let records = analysis.records
        var chosen = 0
        for r in roots { chosen += records[r].text.weightedLength }
        // a choice too short to be an article stays refused, so the hidden text is tried next
        guard chosen >= Heuristics.minimumArticleLength, chosen < Heuristics.secondOpinionShortLength,
              let first = roots.first else { return nil }
        var a = records[first].parent
        while a >= 0 && a != analysis.bodyIndex {
            let r = records[a]
            if r.name == "main" || DocumentAnalysis.attributeString(r.pointer, "role")?.lowercased() == "main" {
                guard roots.allSatisfy({ analysis.isAncestor(a, of: $0) }), !r.isBoilerplate,
                      Double(r.text.weightedLength) >= Double(chosen) * Heuristics.mainLandmarkGrowth,
                      r.linkDensity <= Heuristics.mainLandmarkLinkDensity else { return nil }
                return a
            }
            a = r.parent
        }
        return separateMainLandmark(apartFrom: roots, chosen: chosen)
    }

    /// The page's one outermost `<main>` (or `role=main`) when a short choice lies outside it:
    /// a block before or beside the page's marked main content (a government site's "official
    /// website" banner, a promo box) is chrome, and the main content is what the page marks so.
    private func separateMainLandmark(apartFrom roots: [Int], chosen: Int) -> Int? {
        let records = analysis.records
        var found: Int?
        for i in records.indices where records[i].name == "main" || DocumentAnalysis.attributeString(records[i].pointer, "role")?.lowercased() == "main" {
            if let f = found, analysis.isAncestor(f, of: i) { continue }
            guard found == nil else { return nil }
            found = i
        }
        guard let m = found, !furnitureAround(m),
              !roots.contains(where: { analysis.isAncestor(m, of: $0) || analysis.isAncestor($0, of: m) }),
              Double(records[m].text.weightedLength) >= Double(chosen) * Heuristics.mainLandmarkGrowth,
              records[m].linkDensity <= Heuristics.mainLandmarkLinkDensity else { return nil }
        return m
    }

    /// A short choice widened back to the page's one `<h1>`: the children of the element holding
    /// both, from the heading's branch through the choice's. Taken only when the heading lies
    /// before the choice, outside it, with at least `Heuristics.headingGapShare` of the choice's
    /// text between them: a service, course or product page whose short block won (a call to
    /// action, a rules box, a cookie notice) shows its main content under its heading, while a
    /// short news story holds or directly follows its headline. Refused when mostly links.
    private func headingSpan(around roots: [Int]) -> [Int]? {
        let records = analysis.records
        var chosen = 0
        for r in roots { chosen += records[r].text.weightedLength }
        guard chosen >= Heuristics.minimumArticleLength, chosen < Heuristics.secondOpinionShortLength,
              let first = roots.first, let last = roots.last else { return nil }
        var heading: Int?
        for i in records.indices where records[i].name == "h1" && records[i].text.characters > 0 {
            if furnitureAround(i) { continue }
            guard heading == nil else { return nil }
            heading = i
        }
        guard let h = heading, h < first, !roots.contains(where: { analysis.isAncestor($0, of: h) }) else { return nil }
        var a = records[first].parent
        while a >= 0 && !(analysis.isAncestor(a, of: h) && roots.allSatisfy({ analysis.isAncestor(a, of: $0) })) {
            a = records[a].parent
        }
        guard a >= 0, !furnitureAround(a) else { return nil }
        // text between the heading and the choice, outside furniture and the heading itself
        var between = 0
        for i in (h + 1)..<first where !analysis.isAncestor(h, of: i) && !analysis.isAncestor(i, of: first) && !records[i].isBoilerplate {
            if !furnitureAround(i) { between += records[i].own.weightedLength }
        }
        guard Double(between) >= Double(chosen) * Heuristics.headingGapShare else { return nil }
        // the children of the join from the heading's branch through the choice's
        var span: [Int] = []
        var text = 0, links = 0
        for c in (a + 1)..<records.count where records[c].parent == a {
            if c > last { break }
            let holdsHeading = analysis.isAncestor(c, of: h), holdsChoice = roots.contains { analysis.isAncestor(c, of: $0) }
            if span.isEmpty && !holdsHeading { continue }
            if records[c].isBoilerplate && !holdsChoice { continue }
            span.append(c)
            text += Int(records[c].text.characters)
            links += Int(records[c].linkCharacters)
        }
        guard !span.isEmpty, Double(links) <= Double(max(1, text)) * Heuristics.mainLandmarkLinkDensity else { return nil }
        return span
    }

    private func furnitureAround(_ index: Int) -> Bool {
        var i = index
        while i >= 0 {
            if analysis.records[i].isBoilerplate { return true }
            i = analysis.records[i].parent
        }
        return false
    }

    /// The ancestor of all roots (up to the body) with the best density score.
    private func densestAncestor(of roots: [Int], _ mass: Mass) -> Int? {
        guard var a = roots.first.map({ analysis.records[$0].parent }) else { return nil }
        while a >= 0 && !roots.allSatisfy({ analysis.isAncestor(a, of: $0) }) { a = analysis.records[a].parent }
        var best: Int?
        var bestScore = -Double.infinity
        while a >= 0 {
            let s = densityScore([a], mass)
            if s > bestScore {
                best = a
                bestScore = s
            }
            if a == analysis.bodyIndex { break }
            a = analysis.records[a].parent
        }
        return best
    }

    /// Running text kept minus the rest, for a set of roots (the density scorer's scale).
    private func densityScore(_ roots: [Int], _ mass: Mass) -> Double {
        var total = 0.0
        for r in roots {
            let kept = mass.running[r]
            total += kept - Heuristics.densityNoiseWeight * (Double(analysis.records[r].text.weightedLength) - kept)
        }
        return total
    }

    /// The elements of the page with the best density scores, for `--explain`.
    private func densest(_ mass: Mass) -> [(index: Int, score: Double)] {
        var top: [(index: Int, score: Double)] = []
        let records = analysis.records
        for i in records.indices where mass.running[i] > 0 && records[i].kind != .inline && records[i].kind != .link {
            let s = mass.running[i] - Heuristics.densityNoiseWeight * (Double(records[i].text.weightedLength) - mass.running[i])
            if top.count < Heuristics.explainedCandidates || s > top[top.count - 1].score {
                top.append((i, s))
                top.sort { $0.score > $1.score }
                if top.count > Heuristics.explainedCandidates { top.removeLast() }
            }
        }
        return top
    }

    /// Why the paragraph scorer's choice needs a second opinion, or nil when it does not.
    private func doubt(about roots: [Int], top: Int, mass: Mass) -> String? {
        let records = analysis.records
        var length = 0
        for r in roots { length += records[r].text.weightedLength }
        if length < Heuristics.secondOpinionShortLength { return "is short (\(length) weighted characters)" }
        if records[top].linkDensity > Heuristics.secondOpinionLinkDensity {
            return "is link-heavy (\(Int(records[top].linkDensity * 100))% links)"
        }
        if roots.contains(where: { records[$0].classWeight < 0 || records[$0].kind == .furniture }) {
            return "is named like furniture (comments, sidebar, share bar)"
        }
        if !roots.contains(where: { analysis.isAncestor($0, of: mass.centre) }) {
            return "lies away from the centre of the page's running text"
        }
        let body = analysis.bodyIndex
        let pageRunning = mass.running[body]
        var kept = 0.0
        for r in roots { kept += mass.running[r] }
        if pageRunning > 0 && kept / pageRunning < Heuristics.secondOpinionRunningShare {
            return "holds \(Int(kept / pageRunning * 100))% of the page's running text"
        }
        return nil
    }

    private static func initialScore(_ r: ElementRecord) -> Double {
        var s: Double
        switch r.name {
        case "div", "article", "section", "main": s = 5
        case "td", "pre", "blockquote": s = 3
        case "ol", "ul", "dl", "dd", "dt", "li", "address", "form": s = -3
        case "th", "h1", "h2", "h3", "h4", "h5", "h6": s = -5
        default: s = 0
        }
        s += Double(max(-1, r.classWeight)) * Heuristics.classWeightPoints
        return s
    }

    /// Blocks elsewhere on the page that carry the best block's exact class and score like
    /// content: articles split into sections by figures or ads (repeated structure; sh).
    private func sameClassBlocks(as top: Int, candidates: [Int], excluding chosen: [Int]) -> [Int] {
        let records = analysis.records
        guard let topClass = DocumentAnalysis.attributeString(records[top].pointer, "class"), !topClass.isEmpty else { return [] }
        let threshold = max(Heuristics.siblingMinimumScore, records[top].score * Heuristics.siblingScoreShare)
        var found: [Int] = []
        for c in candidates where c != top && records[c].score >= threshold
            && records[c].linkDensity < Heuristics.siblingParagraphLinkDensity && !records[c].isBoilerplate {
            if chosen.contains(where: { analysis.isAncestor($0, of: c) || analysis.isAncestor(c, of: $0) }) { continue }
            if found.contains(where: { analysis.isAncestor($0, of: c) || analysis.isAncestor(c, of: $0) }) { continue }
            guard DocumentAnalysis.attributeString(records[c].pointer, "class") == topClass else { continue }
            found.append(c)
        }
        return found
    }

    private func siblings(of top: Int) -> [Int] {
        let records = analysis.records
        let parent = records[top].parent
        guard parent >= 0, records[top].name != "body" else { return [top] }
        let topScore = records[top].score
        let threshold = max(Heuristics.siblingMinimumScore, topScore * Heuristics.siblingScoreShare)
        var roots: [Int] = []
        for i in (parent + 1)..<records.count where records[i].parent == parent {
            if i == top { roots.append(i); continue }
            let s = records[i]
            if s.isBoilerplate { continue }
            if s.isCandidate && s.score >= threshold { roots.append(i); continue }
            if s.kind == .paragraph {
                let length = s.text.weightedLength
                let density = s.linkDensity
                if length > Heuristics.siblingParagraphLength && density < Heuristics.siblingParagraphLinkDensity {
                    roots.append(i)
                } else if length > 0 && density == 0 && s.text.punctuation > 0 && length > Heuristics.minimumParagraphLength {
                    roots.append(i)
                }
            }
        }
        return roots
    }
}
