import Foundation
/// Finds the elements that hold the article body: scores paragraphs by length, punctuation
/// and link density, credits their ancestors, takes the best ancestor and the siblings
/// that score close to it.
struct ContentLocator {
    var analysis: DocumentAnalysis

    struct Selection {
        /// The best-scoring element.
        var top: Int
        /// Elements to render, in document order (the top and the siblings that joined it).
        var roots: [Int]
    }

    /// Scores candidates and returns the selection, or nil when no paragraph was found.
    mutating func locate() -> Selection? {
        var records = analysis.records
        var inBoilerplate = [Bool](repeating: false, count: records.count)
        for i in records.indices {
            let p = records[i].parent
            inBoilerplate[i] = records[i].isBoilerplate || (p >= 0 && inBoilerplate[p])
        }
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
        var best: Int?
        for c in candidates {
            records[c].score *= (1 - records[c].linkDensity)
            if best == nil || records[c].score > records[best!].score { best = c }
        }
        analysis.records = records
        if ProcessInfo.processInfo.environment["TIDINGS_DEBUG_EXTRACT"] != nil {
            for c in candidates.sorted(by: { records[$0].score > records[$1].score }).prefix(8) {
                let r = records[c]
                print("DEBUG", c, r.name, DocumentAnalysis.attributeString(r.pointer, "class") ?? "", DocumentAnalysis.attributeString(r.pointer, "id") ?? "", r.score, r.text.characters, r.linkDensity)
            }
        }
        guard let top = best else { return nil }
        return Selection(top: top, roots: siblings(of: top))
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
        s += Double(r.classWeight) * Heuristics.classWeightPoints
        return s
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

