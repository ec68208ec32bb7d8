/// Picks the article title and removes site names (`_中国报道网`, ` - 新华网`, ` | Site`).
enum TitleCleaner {
    /// Separators between a title and a site name.
    /// A later part replaces the first only when this much longer ("Site - A long headline";
    /// tuned on the seed page and the cwce_zh <title>s).
    static let laterPartLengthFactor = 1.5
    static let separators = [" | ", " - ", " – ", " — ", "_", "｜", " :: ", " · ", " » ", "--", "—", " -- "]

    static func title(candidates: [String], headings: [String], linkedHeadings: Set<String> = [], siteName: String?) -> String {
        let candidates = candidates.filter { !$0.isEmpty }
        guard let base = candidates.first else { return headings.first ?? "" }
        // A <title> that is nothing but the site name names no article: the heading does.
        if let siteName, !siteName.isEmpty, candidates.allSatisfy({ isSiteName($0, siteName) }), let h = headings.first {
            return h
        }
        // The site's name is no headline, even in an <h1> (blog and portal mastheads).
        let headings = headings.filter { h in siteName.map { $0.isEmpty || !isSiteName(h, $0) } ?? true }
        // A heading that the page title contains is the title without the site name.
        for h in headings where h.count >= 4 && h.count * 5 >= base.count * 2 && base.contains(h) {
            return h
        }
        for h in headings {
            for c in candidates where h.count >= 4 && h.count * 5 >= c.count * 2 && c.contains(h) { return h }
        }
        // A short headline ("金锺国", "声明") that is a whole part of the title: the heading and
        // the title agree, whatever the rest of the title is.
        for h in headings where h.count < 4 {
            if candidates.contains(where: { parts(of: $0).contains(h) }) { return h }
        }
        // A heading that is the first part of a declared title (`Portage - Gentoo wiki` with
        // <h1>Portage</h1>) is the headline the site's name follows, whatever its length; a
        // heading that is a link is a masthead (`<h1><a href="/">Blog</a></h1>` before
        // `Blog » Archive » Post`) and names no article.
        for h in headings where !linkedHeadings.contains(h) {
            if candidates.contains(where: { c in let p = parts(of: c); return p.count > 1 && p[0] == h }) { return h }
        }
        let stripped = stripSiteName(base, siteName: siteName)
        let declared = [stripped] + candidates.dropFirst().map { stripSiteName($0, siteName: siteName) }
        return rewordedHeadline(headings, declared: declared) ?? stripped
    }

    /// Least agreement (`TitleWords.agreement`) between a heading and a declared title for the
    /// heading to be the headline the declared title rewords for search engines and shares
    /// ("Top 10 Health and Nutrition Trends to Watch" on the page, "Health And Nutrition Trends
    /// For 2026" in og:title and <title>). Fitted on fit (2,617 titled pages; 0.2 to 0.35 give
    /// the same accuracy): a masthead, a section name or a blog's name shares no words with the
    /// declared title and keeps losing to it.
    static let rewordedHeadlineAgreement = 0.3

    /// The page's own heading when the declared titles reword it: the heading that agrees best
    /// with one of them, unless it is a single word, shorter than 4 characters, or holds the
    /// declared title whole (a kicker before the headline: the declared title is the headline then).
    static func rewordedHeadline(_ headings: [String], declared: [String]) -> String? {
        guard let title = declared.first else { return nil }
        var best: String?
        var bestAgreement = rewordedHeadlineAgreement
        for h in headings {
            if h == title { return nil }
            // headings under 4 characters count only as a whole part of the title (above)
            guard h.count >= 4, TitleWords.words(h).count >= 2, !h.contains(title) else { continue }
            for d in declared where !d.isEmpty {
                let agreement = TitleWords.agreement(h, d)
                if agreement >= bestAgreement && (best == nil || agreement > bestAgreement) { (best, bestAgreement) = (h, agreement) }
            }
        }
        return best
    }

    /// The parts of a title between separators, trimmed, empty ones left out: split separator by
    /// separator, in the order of `separators`, each at its leftmost non-overlapping occurrences,
    /// as `components(separatedBy:)` would; on UTF-8 bytes, since Foundation's locale-aware
    /// search made this a tenth of the extraction time.
    static func parts(of title: String) -> [String] {
        var parts = [Array(title.utf8)]
        for sep in separatorBytes {
            parts = parts.flatMap { split($0, at: sep) }
        }
        return parts.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static let separatorBytes = separators.map { Array($0.utf8) }

    private static func split(_ bytes: [UInt8], at sep: [UInt8]) -> [[UInt8]] {
        guard var found = TextSearch.find(sep, in: bytes) else { return [bytes] }
        var pieces: [[UInt8]] = []
        var start = 0
        while true {
            pieces.append(Array(bytes[start..<found]))
            start = found + sep.count
            guard let next = TextSearch.find(sep, in: bytes, from: start) else { break }
            found = next
        }
        pieces.append(Array(bytes[start...]))
        return pieces
    }

    /// Length with CJK characters weighted as in the content heuristics: a Chinese headline of
    /// 8 characters says as much as a Latin site name of 16 letters.
    static func weightedLength(_ s: String) -> Int {
        var n = 0
        for scalar in s.unicodeScalars { n += CJKScript.contains(scalar) ? Heuristics.cjkCharacterWeight : 1 }
        return n
    }

    static func stripSiteName(_ title: String, siteName: String?) -> String {
        var parts = parts(of: title)
        guard parts.count > 1 else { return title.trimmingCharacters(in: .whitespaces) }
        if let siteName, !siteName.isEmpty {
            let rest = parts.filter { $0 != siteName && !siteName.contains($0) }
            // a site name covering every part leaves the title as it is
            if rest.isEmpty { return title.trimmingCharacters(in: .whitespaces) }
            if rest.count == 1 { return rest[0] }
            parts = rest
        }
        // the longest part is the title; the first wins a near tie (sites append their name)
        var best = parts[0]
        for p in parts.dropFirst() where Double(weightedLength(p)) > Double(weightedLength(best)) * laterPartLengthFactor { best = p }
        return best
    }

    /// The part of a declared title that spells the page's host name (`Cape Argus` on
    /// capeargus.co.za, `Integralist` on integralist.co.uk, `The Calgary Sun` on
    /// calgarysun.com): the site's name, for pages that do not declare one. Letters and digits
    /// only, case folded, a leading "the" optional; parts under `hostNameMinimumLetters` are too
    /// short to tell a name from a syllable of the host.
    static func hostSiteName(in candidates: [String], host: String?) -> String? {
        guard let host else { return nil }
        let hostLetters = compactLetters(host)
        for c in candidates {
            for part in parts(of: c) {
                var letters = compactLetters(part)
                if letters.count >= hostNameMinimumLetters && hostLetters.contains(letters) { return part }
                if letters.hasPrefix("the") { letters.removeFirst(3) }
                if letters.count >= hostNameMinimumLetters && hostLetters.contains(letters) { return part }
            }
        }
        return nil
    }
    /// Fitted on the fit half: 4 letters keep `Star` (thestar…) and leave out `News` only when the host lacks it.
    static let hostNameMinimumLetters = 4

    private static func compactLetters(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }))
    }

    /// Whether every part of `title` (split at the separators) belongs to the site name.
    static func isSiteName(_ title: String, _ siteName: String) -> Bool {
        let kept = parts(of: title)
        return !kept.isEmpty && kept.allSatisfy { $0 == siteName || siteName.contains($0) }
    }
}

import Foundation
