/// libxml2 stops parsing a page nested deeper than 256 elements and drops everything after
/// that point, so a page could lose all its text without a word. Before a second parse this
/// leaves out the tags (never the text) of the elements in the middle of a too-deep chain:
/// an element stays when it is among the top `keptTop` levels (the page's skeleton: html,
/// body, header) or within `keptBottom` levels of the deepest point below it (where the
/// content and its structure are: lists, links, paragraphs). Along any path that keeps at
/// most `keptTop + keptBottom + 1` elements, since depth grows and height shrinks going down.
enum NestingFlattener {
    /// Fitted on libxml2's limit alone (256, with room for the html/body/p elements it adds
    /// itself); real pages nest 15 to 40 elements deep, so their content lies well inside.
    static let keptTop = 32
    static let keptBottom = 128

    static let voidElements: Set<[UInt8]> = Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                                  "meta", "param", "source", "track", "wbr", "keygen", "basefont",
                                                  "frame", "isindex"].map { Array($0.utf8) })
    /// Elements whose content is text up to their end tag.
    static let rawTextElements: Set<[UInt8]> = Set(["script", "style", "textarea", "title", "xmp", "plaintext"].map { Array($0.utf8) })

    /// A start or end tag: its bytes and, for the stack walk, its name.
    struct Tag {
        var range: Range<Int>
        var name: [UInt8]
        var isEnd: Bool
        /// Start tags: the element's depth and the deepest depth inside it. End tags: the
        /// start tag they close, when they close one.
        var depth = 0
        var deepestBelow = 0
        var closes: Int?
    }

    static func flattened(_ input: [UInt8]) -> [UInt8] {
        var tags = self.tags(in: input)
        measure(&tags)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var copied = 0
        for tag in tags {
            let start = tag.isEnd ? tag.closes.map { tags[$0] } : tag
            guard let start, start.depth > keptTop, start.deepestBelow - start.depth > keptBottom else { continue }
            out.append(contentsOf: input[copied..<tag.range.lowerBound])
            copied = tag.range.upperBound
        }
        out.append(contentsOf: input[copied...])
        return out
    }

    /// Every start and end tag that opens or closes an element (void elements, comments,
    /// declarations and the text of raw-text elements are left alone).
    static func tags(in input: [UInt8]) -> [Tag] {
        var tags: [Tag] = []
        var i = 0
        let n = input.count
        while i < n {
            guard input[i] == UInt8(ascii: "<"), i + 1 < n else { i += 1; continue }
            let next = input[i + 1]
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                // Comments end at "-->", declarations and processing instructions at ">".
                i = input[i...].starts(with: "<!--".utf8) ? (find("-->", in: input, from: i + 4).map { $0 + 3 } ?? n)
                                                         : (find(">", in: input, from: i + 2).map { $0 + 1 } ?? n)
                continue
            }
            let isEnd = next == UInt8(ascii: "/")
            let nameStart = i + (isEnd ? 2 : 1)
            var nameEnd = nameStart
            while nameEnd < n, isNameByte(input[nameEnd]) { nameEnd += 1 }
            guard nameEnd > nameStart, isLetter(input[nameStart]) else { i += 1; continue }
            let name = input[nameStart..<nameEnd].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            let tagEnd = endOfTag(input, from: nameEnd)
            if !isEnd && voidElements.contains(name) { i = tagEnd; continue }
            tags.append(Tag(range: i..<tagEnd, name: name, isEnd: isEnd))
            i = tagEnd
            if !isEnd && rawTextElements.contains(name) {
                i = find("</" + String(decoding: name, as: UTF8.self), in: input, from: tagEnd, caseInsensitive: true) ?? n
            }
        }
        return tags
    }

    /// Walks the tags with a stack of open elements (an end tag closes the nearest open
    /// element of its name and those inside it; a stray one closes nothing), recording each
    /// element's depth and the deepest depth below it.
    static func measure(_ tags: inout [Tag]) {
        var open: [Int] = []
        // Where each name sits on the stack, so an end tag finds its element at once.
        var positions: [[UInt8]: [Int]] = [:]
        func close(through count: Int) {
            while open.count > count, let index = open.popLast() {
                positions[tags[index].name]?.removeLast()
                if let parent = open.last { tags[parent].deepestBelow = max(tags[parent].deepestBelow, tags[index].deepestBelow) }
            }
        }
        for index in tags.indices {
            if tags[index].isEnd {
                guard let at = positions[tags[index].name]?.last else { continue }
                tags[index].closes = open[at]
                close(through: at)
            } else {
                tags[index].depth = open.count + 1
                tags[index].deepestBelow = open.count + 1
                positions[tags[index].name, default: []].append(open.count)
                open.append(index)
            }
        }
        close(through: 0)
    }

    /// The index after the `>` that ends a tag whose name ends at `start`, quotes respected.
    static func endOfTag(_ input: [UInt8], from start: Int) -> Int {
        var i = start
        var quote: UInt8?
        while i < input.count {
            let b = input[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i + 1
            }
            i += 1
        }
        return input.count
    }

    static func find(_ needle: String, in input: [UInt8], from start: Int, caseInsensitive: Bool = false) -> Int? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, start <= input.count - pattern.count else { return nil }
        var i = start
        while i <= input.count - pattern.count {
            var k = 0
            while k < pattern.count {
                var b = input[i + k]
                if caseInsensitive && b >= 65 && b <= 90 { b += 32 }
                if b != pattern[k] { break }
                k += 1
            }
            if k == pattern.count { return i }
            i += 1
        }
        return nil
    }

    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isNameByte(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x5F }
}
