import CLibXML2
import TidingsCore

/// Short visible lines around the article body, where info lines (`时间：… 来源：… 作者：…`),
/// bylines and dates live: those just before the body (nearest first), the body's first and
/// last lines, and those just after it.
/// Built lazily: pages whose metadata declares date and author never pay for the line scan.
final class VisibleLines {
    /// Lines pruned from inside the body (info lines, bylines), in page order.
    let pruned: [String]
    private let analysis: DocumentAnalysis?
    private let roots: [Int]
    private let bodyLines: [Substring]
    /// The page's title, to find its headline among the headings.
    private let title: String

    /// How many lines on each side are searched (tuned on cwce_zh: info lines sit within ~10 lines of the body).
    static let window = 20
    /// Info lines (`时间：… 作者：…`) are trusted further away: sidebars often sit between them and the body (cwce_zh).
    static let infoLineWindow = 60
    static let maximumLineCharacters: Int32 = 200
    /// Tag names looked up once per page, not once per line.
    private var kinds = ElementKindCache()

    init() {
        pruned = []
        analysis = nil
        roots = []
        bodyLines = []
        title = ""
    }

    init(analysis: DocumentAnalysis, roots: [Int], bodyLines: [Substring], pruned: [String], title: String = "") {
        self.pruned = pruned
        self.title = title
        self.analysis = analysis
        self.roots = roots
        self.bodyLines = bodyLines
    }

    /// Lines before the body, nearest first.
    var before: [String] { surroundings.before }
    /// Lines after the body, nearest first.
    var after: [String] { surroundings.after }

    private lazy var surroundings: (before: [String], after: [String]) = {
        guard let analysis, let first = roots.first, let last = roots.last else { return ([], []) }
        let records = analysis.records
        var endOfLast = last
        while endOfLast + 1 < records.count && analysis.isAncestor(last, of: endOfLast + 1) { endOfLast += 1 }
        let before = linesBackward(in: analysis, from: first - 1, scanning: Self.infoLineWindow, keeping: Self.window,
                                   beyond: BoilerplateLine.isInfoLine) { Self.isSmallBlock(records[$0]) && !analysis.isAncestor($0, of: first) }
        let after = linesForward(in: analysis, from: endOfLast + 1, to: records.count, limit: Self.window) { Self.isSmallBlock(records[$0]) }
        return (before, after)
    }()

    /// Short lines between the body's parts that the body leaves out (a dateline or byline
    /// between the standfirst and the text), in page order: each small element once, whole.
    private(set) lazy var gaps: [String] = {
        guard let analysis, roots.count > 1 else { return [] }
        let records = analysis.records
        var lines: [String] = []
        for (k, root) in roots.dropLast().enumerated() {
            let next = roots[k + 1]
            var i = root + 1
            while i < next && analysis.isAncestor(root, of: i) { i += 1 }
            lines += linesForward(in: analysis, from: i, to: next, limit: Self.window - lines.count) {
                Self.isSmallBlock(records[$0]) && !analysis.isAncestor($0, of: next)
            }
        }
        return lines
    }()

    /// A block with text of its own and short enough to be one line or a few.
    private static func isSmallBlock(_ r: ElementRecord) -> Bool {
        r.kind.isBlock && r.own.characters > 0 && r.text.characters <= maximumLineCharacters
    }

    /// The lines of the elements from `start` up to `end` that `isLine` accepts, in page order,
    /// until `limit` lines are reached; an accepted element's lines include its descendants', so
    /// they are skipped.
    private func linesForward(in analysis: DocumentAnalysis, from start: Int, to end: Int, limit: Int,
                              isLine: (Int) -> Bool) -> [String] {
        var lines: [String] = []
        var i = start
        while i < end && lines.count < limit {
            var next = i + 1
            if isLine(i) {
                lines += textLines(of: analysis.records[i].pointer)
                while next < analysis.records.count && analysis.isAncestor(i, of: next) { next += 1 }
            }
            i = next
        }
        return lines
    }

    /// The lines of the elements from `start` back to the page's start that `isLine` accepts,
    /// nearest first, while fewer than `scanning` lines are held; past `keeping` lines only those
    /// `beyond` accepts are kept. A small element's lines include its children's: each line is
    /// taken once, from the outermost element (nested cells would otherwise fill the window twice
    /// and push the date out).
    private func linesBackward(in analysis: DocumentAnalysis, from start: Int, scanning: Int, keeping: Int,
                               beyond: (String) -> Bool = { _ in false }, isLine: (Int) -> Bool) -> [String] {
        var lines: [String] = []
        var owners: [Int] = []
        var i = start
        while i >= 0 && lines.count < scanning {
            if isLine(i) {
                while let owner = owners.last, analysis.isAncestor(i, of: owner) {
                    lines.removeLast()
                    owners.removeLast()
                }
                for line in textLines(of: analysis.records[i].pointer).reversed() where lines.count < keeping || beyond(line) {
                    lines.append(line)
                    owners.append(i)
                }
            }
            i -= 1
        }
        return lines
    }

    /// How many lines after and before the headline are searched when the lines around the body
    /// give no date (fitted on the fit half of the dev corpus: datelines sit within a few lines of the
    /// headline while sidebars, tables of contents or galleries push the body's start far from it).
    static let headlineLinesAfter = 8
    static let headlineLinesBefore = 4

    /// Short lines next to the headline (the `<h1>` whose text is the title, else the last `<h1>`
    /// before the body), lines after it first, in page order, then those before it, nearest first;
    /// the search stops at the body. Inline elements directly inside a larger container count as
    /// lines too (`<h1>…</h1><span class="date">07.11.2023</span>` inside the article's wrapper).
    private(set) lazy var headlineLines: [String] = {
        guard let analysis, let first = roots.first, let h = headline(in: analysis, before: first) else { return [] }
        let records = analysis.records
        func isLine(_ i: Int) -> Bool {
            let r = records[i]
            guard r.text.characters > 0, r.text.characters <= Self.maximumLineCharacters, !analysis.isAncestor(i, of: first) else { return false }
            if r.kind.isBlock { return r.own.characters > 0 }
            let parent = r.parent >= 0 ? records[r.parent] : r
            return r.kind == .inline && parent.kind == .container && parent.text.characters > Self.maximumLineCharacters
        }
        var start = h + 1
        while start < records.count && analysis.isAncestor(h, of: start) { start += 1 }
        let after = linesForward(in: analysis, from: start, to: first, limit: Self.headlineLinesAfter, isLine: isLine)
        let before = linesBackward(in: analysis, from: h - 1, scanning: Self.headlineLinesBefore, keeping: Self.headlineLinesBefore) {
            isLine($0) && !analysis.isAncestor($0, of: h)
        }
        return Array(after.prefix(Self.headlineLinesAfter)) + before.prefix(Self.headlineLinesBefore)
    }()

    private func headline(in analysis: DocumentAnalysis, before first: Int) -> Int? {
        let records = analysis.records
        var lastBefore: Int?
        for i in 0..<first where records[i].name == "h1" && records[i].text.characters < 300 {
            if !title.isEmpty && PageMetadata.clean(HTMLNode.content(of: records[i].pointer)) == title { return i }
            lastBefore = i
        }
        return lastBefore
    }

    /// The text of a small element as lines: `<br>` and blocks inside it break lines
    /// ("作者：放飞&心情<br>振威将军" is a byline and a rank, not one name).
    private func textLines(of node: xmlNodePtr) -> [String] {
        var writer = PlainTextWriter()
        func walk(_ n: xmlNodePtr) {
            var child = n.pointee.children
            while let c = child {
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = c.pointee.content { writer.append(UnsafePointer(content)) }
                case XML_ELEMENT_NODE:
                    let kind = kinds.lookup(c.pointee.name).kind
                    if kind == .lineBreak { writer.breakLine() } else if kind != .dropped {
                        if kind.isBlock { writer.breakLine() }
                        walk(c)
                        if kind.isBlock { writer.breakLine() }
                    }
                default: break
                }
                child = c.pointee.next
            }
        }
        walk(node)
        return writer.lines
    }

    /// The body's first six short lines (padded to six), then its last six lines, last first.
    private(set) lazy var inside: [String] = {
        guard !bodyLines.isEmpty else { return [] }
        let short = bodyLines.filter { !$0.isEmpty && $0.count <= Int(Self.maximumLineCharacters) }
        var lines = Array(short.prefix(6)).map(String.init)
        while lines.count < 6 { lines.append("") }
        // the last lines, also long ones (their bracketed endings carry bylines), nearest to the end first
        lines += bodyLines.filter { !$0.isEmpty }.suffix(6).reversed().map(String.init)
        return lines
    }()

    /// Where bylines are looked for, most trusted first. Outside the body only lines that read
    /// as bylines count (an info line, or a label with a colon): menus say "记者调查" too.
    private lazy var ordered: [String] =
        pruned + Array(inside.prefix(6)) + before.prefix(12).filter(Self.isBylineShaped)
            + before.dropFirst(12).filter(BoilerplateLine.isInfoLine) + gaps.filter(Self.isBylineShaped)
            + Array(inside.dropFirst(6)) + tails + after.prefix(10).filter(Self.isBylineShaped)

    private static let posterLabelBytes = (BylineParser.posterLabels + [BylineParser.postedAtMarker]).map { Array($0.utf8) }

    static func isBylineShaped(_ line: String) -> Bool {
        if BoilerplateLine.isInfoLine(line) { return true }
        let bytes = Array(line.utf8)
        if posterLabelBytes.contains(where: { TextSearch.find($0, in: bytes) != nil }) { return true }
        return BylineParser.labelWithSeparatorBytes.contains { TextSearch.find($0, in: bytes) != nil }
    }

    /// The bracketed endings of the body's last lines: "…（总台记者 张倩）".
    private(set) lazy var tails: [String] = inside.dropFirst(6).prefix(3).compactMap { line in
        guard let open = line.lastIndex(where: { $0 == "（" || $0 == "(" }), line.distance(from: open, to: line.endIndex) <= 30 else { return nil }
        return String(line[open...])
    }

    /// The visible date at the body's head: info lines and the lines nearest the body's start
    /// first, then those between the body's parts.
    func leadingDate() -> DateScanner.Found? {
        var firstDateOnly: DateScanner.Found?
        for line in pruned + Array(before.prefix(12)) + Array(inside.prefix(6)) + before.dropFirst(12).filter(BoilerplateLine.isInfoLine) {
            guard let found = DateScanner.first(in: line) else { continue }
            if found.hasTime { return found }
            if firstDateOnly == nil { firstDateOnly = found }
        }
        return firstDateOnly ?? gaps.lazy.compactMap { DateScanner.first(in: $0) }.first ?? dateline()
    }

    /// How far into the body's first lines a date still opens them as a dateline (`01.02.2022 „Der
    /// Arbeitsmarkt …`, `Pressemitteilung vom 25. Januar 2022 | Berlin – …`): the date must end within
    /// 60 characters, the length of such a lead-in with a label and a place (fitted on the fit half of
    /// the dev corpus).
    static let datelineReach = 60

    /// A date opening one of the body's first two lines, however long the line.
    private func dateline() -> DateScanner.Found? {
        for line in bodyLines.lazy.filter({ !$0.isEmpty }).prefix(2) {
            if let found = DateScanner.first(in: String(line.prefix(Self.datelineReach))) { return found }
        }
        return nil
    }

    /// A date at the body's end or just after it: the weakest place (related items, comments).
    func trailingDate() -> DateScanner.Found? {
        for line in inside.suffix(6).filter({ $0.count <= Int(Self.maximumLineCharacters) }) + after.prefix(10) {
            if let found = DateScanner.first(in: line) { return found }
        }
        return nil
    }

    /// A date next to the headline: weaker than the lines around the body and than the page's
    /// `<time>` elements (an "Updated …" line sits there as often as the publishing date).
    func headlineDate() -> DateScanner.Found? {
        headlineLines.lazy.compactMap { DateScanner.first(in: $0) }.first
    }

    /// A Western byline near the headline or the body's start: a line opening with a credit label
    /// ("By Jane Doe", "Von Peter Maahn", "Autor: …"), or the label alone with the name on the line
    /// after it. Searched in the lines taken out of the body, next to the headline, between the
    /// body's parts, the twelve before it, the body's first three and its last ones ("Autor: …"
    /// closing the article).
    func labelledByline(headline: String) -> String? {
        let pageOrder: [[String]] = [pruned, Array(headlineLines.prefix(Self.headlineLinesAfter)), gaps,
                                     before.prefix(12).reversed(), Array(inside.prefix(3)), Array(inside.dropFirst(6).reversed())]
        for lines in pageOrder {
            for (k, line) in lines.enumerated() where line.count <= 120 && line != headline {
                guard let credit = BylineParser.labelledCredit(line) else { continue }
                if !credit.isEmpty { return credit }
                if k + 1 < lines.count, let name = BylineParser.labelledCredit("By " + lines[k + 1]), !name.isEmpty { return name }
            }
        }
        return nil
    }

    /// The author named in the lines around the body; `headline` is the page's chosen title, which a
    /// bare name under it must not repeat (a 2–3 character headline like `金锺国` reads as a name).
    func author(headline: String) -> String? {
        for line in ordered {
            if let a = BylineParser.author(in: line) { return a }
        }
        // a byline paragraph opening the body ("文丨特约评论员 韩涵")
        for line in inside.prefix(2) where line.count <= Self.bylineParagraphLength {
            if let a = BylineParser.author(in: line) { return a }
        }
        for line in tails {
            if let a = BylineParser.bracketedName(in: line, wholeLine: true) { return a }
        }
        if let a = inside.prefix(2).lazy.compactMap(BylineParser.datelineNames).first { return a }
        // a name alone on a line at the top of the body ("胡平" under the headline)
        for line in inside.prefix(3) + before.prefix(2) {
            if let a = BylineParser.standaloneName(line), a != headline { return a }
        }
        // a bracketed name in an info line (with a date or source) or closing the article
        for line in pruned + Array(before.prefix(12)) where DateScanner.first(in: line) != nil || line.contains("来源") {
            if let a = BylineParser.bracketedName(in: line, wholeLine: false) { return a }
        }
        for line in inside.suffix(6) + tails {
            if let a = BylineParser.bracketedName(in: line, wholeLine: true) { return a }
        }
        return nil
    }

    /// A byline paragraph is this short at most (the labelled bylines of the zh check pages: up
    /// to 25 characters; a running paragraph that opens with "记者…" is longer).
    static let bylineParagraphLength = 40

    /// Whether an editor credit next to the body names `name` (`编辑：倪仕轩 责任编辑：杨格`).
    func creditsEditor(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for line in ordered + inside.suffix(6) + after.prefix(10) {
            guard let r = line.range(of: name) else { continue }
            var before = line[..<r.lowerBound]
            while let last = before.last, " ：:\u{3000}\u{a0}".contains(last) { before = before.dropLast() }
            if BylineParser.editorLabels.contains(where: { before.hasSuffix($0) }) { return true }
        }
        return false
    }

    /// The editor credited next to the body (`责任编辑：魏喆`), for pages that name no author.
    func editor() -> String? {
        for line in ordered + inside.suffix(6) + after.prefix(10) {
            if let e = BylineParser.editor(in: line) { return e }
        }
        return nil
    }

    func outlet() -> String? {
        for line in ordered {
            if let o = BylineParser.outlet(in: line) { return o }
        }
        return nil
    }
}
