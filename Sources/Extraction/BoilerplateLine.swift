/// Short lines that are page furniture even inside the article block: info lines
/// (`时间：… 来源：… 作者：…`), editor credits, share/print bars, "Advertisement".
enum BoilerplateLine {
    /// Prefixes of editor credits and tool bars (an editor is not content, nor the author).
    static let prefixes = [
        "责任编辑", "编辑：", "编辑:", "责编", "(责任编辑", "（责任编辑", "【责任编辑", "[责任编辑", "分享到", "打印本页",
        "关闭窗口", "上一篇", "下一篇", "返回顶部", "相关新闻", "相关文章", "相关阅读", "延伸阅读", "推荐阅读", "热点推荐",
        "本文来源", "文章来源", "标签：", "标签:", "关键词：", "关键词:", "【纠错】", "免责声明", "版权声明", "点击排行",
        "advertisement", "share this", "share on", "read more:", "related:", "related articles", "sign up for",
        "follow us", "click here to", "tags:", "image:", "photo:", "image source",
    ]
    /// Words of an info line; two or more (with a colon) make a line an info line.
    static let infoWords = ["时间", "来源", "作者", "发布", "浏览", "点击", "编辑", "字号", "日期", "阅读", "评论", "出处", "供稿"]
    /// Whole lines that are tool labels.
    static let exactLines: Set<String> = ["打印", "关闭", "分享", "收藏", "评论", "advertisement", "share", "print", "email", "comments"]

    static let infoWordBytes = infoWords.map { Array($0.utf8) }
    static let prefixBytes = prefixes.map { Array($0.utf8) }
    /// First bytes (lower-cased) of every prefix and exact line, for a quick rejection.
    static let prefixFirstBytes: Set<UInt8> = Set((prefixes + Array(exactLines) + ["来源", "（", "("]).compactMap { $0.utf8.first }
        + [0xE3, 0xC2, 0xEF])

    private static func has(_ bytes: [UInt8], _ word: String) -> Bool {
        TextSearch.find(Array(word.utf8), in: bytes) != nil
    }

    /// An info line: short, with a colon and two or more info words (时间, 来源, 作者, …).
    static func isInfoLine(_ line: String) -> Bool {
        guard line.utf8.count <= Heuristics.infoLineMaximumCharacters * 4 else { return false }
        let bytes = Array(line.utf8)
        guard has(bytes, "：") || bytes.contains(UInt8(ascii: ":")) else { return false }
        var hits = 0
        for w in infoWordBytes where TextSearch.find(w, in: bytes) != nil { hits += 1 }
        return hits >= 2
    }

    static func matches(_ line: String) -> Bool {
        guard line.utf8.count <= Heuristics.infoLineMaximumCharacters * 4 else { return false }
        // the common case first: a plain sentence with no colon, no tool word and no known prefix start
        let firstByte = line.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }) ?? 0
        if !prefixFirstBytes.contains(firstByte | (firstByte < 0x80 ? 0x20 : 0)) && !line.utf8.contains(0x3A)
            && !TextSearch.contains(line, "：") && !TextSearch.contains(line, "字号") && line.utf8.count > 24 {
            return false
        }
        let trimmed = TextSearch.trimmed(line)
        guard !trimmed.isEmpty, trimmed.count <= Heuristics.infoLineMaximumCharacters else { return false }
        let lower = trimmed.lowercased()
        let bytes = Array(trimmed.utf8)
        if exactLines.contains(lower) { return true }
        let lowerBytes = Array(lower.utf8)
        if prefixBytes.contains(where: { lowerBytes.starts(with: $0) }) { return true }
        if lower.hasPrefix("来源") && (lower.dropFirst(2).hasPrefix("：") || lower.dropFirst(2).hasPrefix(":")) { return true }
        if has(bytes, "字号") && has(bytes, "大") && has(bytes, "小") { return true }
        guard has(bytes, "：") || bytes.contains(UInt8(ascii: ":")) else { return false }
        var hits = 0
        for w in infoWordBytes where TextSearch.find(w, in: bytes) != nil { hits += 1 }
        return hits >= 2
    }
}
