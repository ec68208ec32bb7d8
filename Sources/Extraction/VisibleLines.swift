/// Short visible lines around the article body, where info lines (`时间：… 来源：… 作者：…`),
/// bylines and dates live: those just before the body (nearest first), the body's first and
/// last lines, and those just after it.
struct VisibleLines {
    /// Lines pruned from inside the body (info lines, bylines), in page order.
    var pruned: [String] = []
    /// Lines before the body, nearest first.
    var before: [String] = []
    /// The body's own first and last lines (before info lines were removed).
    var inside: [String] = []
    /// Lines after the body, nearest first.
    var after: [String] = []

    /// How many lines on each side are searched (tuned on cwce_zh: info lines sit within ~10 lines of the body).
    static let window = 20
    static let maximumLineCharacters: Int32 = 200

    init() {}

    init(analysis: DocumentAnalysis, roots: [Int], bodyLines: [Substring], pruned: [String]) {
        self.pruned = pruned
        let records = analysis.records
        guard let first = roots.first, let last = roots.last else { return }
        var endOfLast = last
        while endOfLast + 1 < records.count && analysis.isAncestor(last, of: endOfLast + 1) { endOfLast += 1 }
        var i = first - 1
        while i >= 0 && before.count < Self.window {
            let r = records[i]
            if r.kind.isBlock && r.own.characters > 0 && r.text.characters <= Self.maximumLineCharacters && !analysis.isAncestor(i, of: first) {
                before.append(PageMetadata.clean(HTMLNode.content(of: r.pointer)))
            }
            i -= 1
        }
        i = endOfLast + 1
        while i < records.count && after.count < Self.window {
            let r = records[i]
            if r.kind.isBlock && r.own.characters > 0 && r.text.characters <= Self.maximumLineCharacters {
                after.append(PageMetadata.clean(HTMLNode.content(of: r.pointer)))
            }
            i += 1
        }
        let short = bodyLines.filter { !$0.isEmpty && $0.count <= Int(Self.maximumLineCharacters) }
        inside = Array(short.prefix(6)) .map(String.init) + Array(short.suffix(6).reversed()).map(String.init)
    }

    private var ordered: [String] { pruned + Array(before.prefix(12)) + inside + Array(after.prefix(10)) }

    func date() -> DateScanner.Found? {
        var firstDateOnly: DateScanner.Found?
        for line in pruned + Array(before.prefix(12)) + Array(inside.prefix(6)) {
            guard let found = DateScanner.first(in: line) else { continue }
            if found.hasTime { return found }
            if firstDateOnly == nil { firstDateOnly = found }
        }
        if let firstDateOnly { return firstDateOnly }
        for line in inside.suffix(6) + after.prefix(10) {
            if let found = DateScanner.first(in: line) { return found }
        }
        return nil
    }

    func author() -> String? {
        for line in ordered {
            if let a = BylineParser.author(in: line) { return a }
        }
        // a bracketed name in an info line (with a date or source) or closing the article
        for line in pruned + Array(before.prefix(12)) where DateScanner.first(in: line) != nil || line.contains("来源") {
            if let a = BylineParser.bracketedName(in: line, wholeLine: false) { return a }
        }
        for line in inside.suffix(6) {
            if let a = BylineParser.bracketedName(in: line, wholeLine: true) { return a }
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
