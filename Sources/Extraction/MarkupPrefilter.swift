import Foundation

/// Removes what the extractor never reads before libxml2 sees the page: the bodies of
/// `<script>` (except JSON-LD) and `<style>` elements, and comments. On script-heavy news
/// pages these are most of the bytes, and libxml2 walks them character by character.
enum MarkupPrefilter {
    static func strip(_ html: String) -> [UInt8] {
        var source = html
        return source.withUTF8 { strip(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
    }

    static func strip(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
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
            let isScript = hasWord(i + 1, "script")
            let isStyle = !isScript && hasWord(i + 1, "style")
            guard isScript || isStyle else { i += 1; continue }
            let nameEnd = i + 1 + (isScript ? 6 : 5)
            guard nameEnd < n, !isNameByte(input[nameEnd]) else { i += 1; continue }
            var tagEnd = nameEnd
            while tagEnd < n && input[tagEnd] != UInt8(ascii: ">") { tagEnd += 1 }
            guard tagEnd < n else { break }
            if isScript && contains("ld+json", from: nameEnd, limit: tagEnd) {
                i = tagEnd + 1
                continue
            }
            let close = find(isScript ? "</script" : "</style", from: tagEnd + 1) ?? n
            flush(to: tagEnd + 1)
            i = close
            copiedUpTo = close
        }
        flush(to: n)
        return out
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
    }
}
