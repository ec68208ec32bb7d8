import Foundation

/// Removes what the extractor never reads before libxml2 sees the page: the bodies of
/// `<script>` (except JSON-LD), `<style>`, `<svg>`, `<template>` and (in the head) `<noscript>`
/// elements, and comments. A `<noscript>` in the body keeps its markup: some sites put the whole
/// page there for readers without scripts (Discourse forums), and the extractor reads it when
/// the scripted page shows nothing (`DocumentAnalysis.revealsHidden`). (Emptying `<svg>` also keeps libxml2 from nesting the rest of the page inside an
/// icon's unknown self-closing `<path/>` tags.) On script-heavy news
/// pages these are most of the bytes, and libxml2 walks them character by character.
enum MarkupPrefilter {
    /// - Parameter keepingAllAttributes: keep every attribute (needed when rules may select on any);
    ///   otherwise only the attributes the extractor reads survive, since attribute nodes are most
    ///   of what libxml2 allocates on modern pages (63% of the bytes left on scrapinghub).
    static func strip(_ html: String, keepingAllAttributes: Bool = false) -> [UInt8] {
        var source = html
        return source.withUTF8 { strip(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count), keepingAllAttributes: keepingAllAttributes) }
    }

    /// Attributes anything downstream reads (content heuristics, metadata, sanitizer, lazy images).
    static let readAttributes: [[UInt8]] = [
        "class", "id", "role", "style", "hidden", "aria-hidden", "itemprop", "rel", "datetime", "content", "href", "src",
        "srcset", "alt", "title", "name", "property", "http-equiv", "charset", "lang", "xml:lang", "type", "colspan",
        "rowspan", "pubdate", "data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url", "data-srcset",
        "original", "width", "height", "aria-labelledby",
    ].map { Array($0.utf8) }

    static func isReadAttribute(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        let first = lower(name[0])
        for candidate in readAttributes where candidate.count == name.count && candidate[0] == first {
            var k = 1
            while k < name.count && lower(name[k]) == candidate[k] { k += 1 }
            if k == name.count { return true }
        }
        return false
    }

    static func strip(_ input: UnsafeBufferPointer<UInt8>, keepingAllAttributes: Bool = false) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        let n = input.count
        var i = 0
        var copiedUpTo = 0
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func hasWord(_ at: Int, _ word: StaticString) -> Bool {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard at + w.count <= n else { return false }
            for k in 0..<w.count where lower(input[at + k]) != w[k] { return false }
            return true
        }
        /// Finds `word` (whose first byte is not a letter) in `from..<limit` with memchr.
        func find(_ word: StaticString, from: Int, limit: Int? = nil) -> Int? {
            let first = word.utf8Start.pointee
            let end = limit ?? n
            var j = from
            while j < end {
                guard let hit = memchr(input.baseAddress! + j, Int32(first), end - j) else { return nil }
                j = input.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if hasWord(j, word) { return j }
                j += 1
            }
            return nil
        }
        func contains(_ word: StaticString, from: Int, limit: Int) -> Bool {
            var j = from
            while j < limit {
                if hasWord(j, word) { return true }
                j += 1
            }
            return false
        }
        func flush(to end: Int) {
            if end > copiedUpTo { out.append(contentsOf: input[copiedUpTo..<end]) }
        }
        var inBody = false
        func skippedElement(at j: Int) -> (name: String, close: StaticString)? {
            guard j < n else { return nil }
            switch lower(input[j]) {
            case UInt8(ascii: "s"):
                if hasWord(j, "script") { return ("script", "</script") }
                if hasWord(j, "style") { return ("style", "</style") }
                if hasWord(j, "svg") { return ("svg", "</svg") }
            case UInt8(ascii: "n"):
                if !inBody && hasWord(j, "noscript") { return ("noscript", "</noscript") }
            case UInt8(ascii: "t"):
                if hasWord(j, "template") { return ("template", "</template") }
            default: break
            }
            return nil
        }
        while i < n {
            guard let hit = memchr(input.baseAddress! + i, Int32(UInt8(ascii: "<")), n - i) else { break }
            i = input.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard i + 3 < n else { break }
            if input[i + 1] == UInt8(ascii: "!") && input[i + 2] == UInt8(ascii: "-") && input[i + 3] == UInt8(ascii: "-") {
                flush(to: i)
                let end = find("-->", from: i + 4).map { $0 + 3 } ?? n
                i = end
                copiedUpTo = end
                continue
            }
            if !inBody && lower(input[i + 1]) == UInt8(ascii: "b") && hasWord(i + 1, "body") && (i + 5 >= n || !isNameByte(input[i + 5])) {
                inBody = true
            }
            guard let element = skippedElement(at: i + 1) else {
                if !keepingAllAttributes, isLetter(input[i + 1]), let end = filteredStartTag(at: i) {
                    i = end
                    copiedUpTo = end
                } else {
                    i += 1
                }
                continue
            }
            let isScript = element.name == "script"
            let nameEnd = i + 1 + element.name.count
            guard nameEnd < n, !isNameByte(input[nameEnd]) else { i += 1; continue }
            var tagEnd = nameEnd
            while tagEnd < n && input[tagEnd] != UInt8(ascii: ">") { tagEnd += 1 }
            guard tagEnd < n else { break }
            if isScript && contains("ld+json", from: nameEnd, limit: tagEnd) {
                i = tagEnd + 1
                continue
            }
            if tagEnd > 0 && input[tagEnd - 1] == UInt8(ascii: "/") { i = tagEnd + 1; continue }  // <svg ... />
            let close = find(element.close, from: tagEnd + 1) ?? n
            flush(to: tagEnd + 1)
            i = close
            copiedUpTo = close
        }
        /// Copies a start tag keeping only `readAttributes`; returns the index after its `>`, or
        /// nil (nothing written) when the tag is malformed and must pass through untouched.
        func filteredStartTag(at start: Int) -> Int? {
            var j = start + 1
            while j < n && isNameByte(input[j]) { j += 1 }
            let nameEnd = j
            var pieces: [Range<Int>] = []
            var dropped = false
            while j < n {
                while j < n && isSpace(input[j]) { j += 1 }
                guard j < n else { return nil }
                if input[j] == UInt8(ascii: ">") { break }
                if input[j] == UInt8(ascii: "/") { j += 1; continue }
                let attrStart = j
                while j < n && !isSpace(input[j]) && input[j] != UInt8(ascii: "=") && input[j] != UInt8(ascii: ">")
                        && input[j] != UInt8(ascii: "/") && input[j] != UInt8(ascii: "<") {
                    j += 1
                }
                guard j > attrStart, j < n, input[j] != UInt8(ascii: "<") else { return nil }
                let attrNameEnd = j
                var k = j
                while k < n && isSpace(input[k]) { k += 1 }
                if k < n && input[k] == UInt8(ascii: "=") {
                    k += 1
                    while k < n && isSpace(input[k]) { k += 1 }
                    guard k < n else { return nil }
                    let quote = input[k]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        guard let hit = memchr(input.baseAddress! + k + 1, Int32(quote), n - k - 1) else { return nil }
                        k = input.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                    } else {
                        while k < n && !isSpace(input[k]) && input[k] != UInt8(ascii: ">") { k += 1 }
                    }
                    j = k
                }
                let name = UnsafeBufferPointer(rebasing: input[attrStart..<attrNameEnd])
                if isReadAttribute(name) { pieces.append(attrStart..<j) } else { dropped = true }
            }
            guard j < n, dropped else { return nil }
            flush(to: start)
            out.append(contentsOf: input[start..<nameEnd])
            for piece in pieces {
                out.append(0x20)
                out.append(contentsOf: input[piece])
            }
            if input[j - 1] == UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
            out.append(UInt8(ascii: ">"))
            return j + 1
        }
        flush(to: n)
        return out
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) }
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
    }
}
