import TidingsCore

/// Reads author and outlet names from byline and info lines: `作者：徐慧媛`, `记者 王建宏 张文攀`,
/// `文/李明`, `来源：新华网`, `By Jane Doe`. Editors (`编辑`, `责任编辑`) are authors only of pages
/// that credit nobody else (`editor(in:)`).
enum BylineParser {
    /// Labels that introduce an author, most specific first.
    static let authorLabels = ["作者", "记者", "文／", "文/", "文丨", "文｜", "文|", "文：", "文:", "撰文", "撰稿", "执笔人", "执笔", "作　者", "发帖人", "发布者", "发表者", "博主"]
    static let outletLabels = ["来源", "稿源", "出处", "来自"]
    /// Words that end a name: the next field of an info line.
    /// `出自` (taken from), `单位` (the author's employer), `简介`, `供图`, `整理`: what follows a label
    /// or a name without being one.
    static let stopWords = ["来源", "时间", "日期", "发布", "编辑", "点击", "浏览", "阅读", "责任", "稿源", "出处", "字号",
                            "作者", "记者", "通讯员", "摄影", "评论", "更新", "发表", "时间", "分享", "打印", "收藏", "星期",
                            "出自", "单位", "简介", "介绍", "供图", "整理", "校对", "审核"]
    /// Role words inside a list of bylined people (`记者 张三 李四 通讯员 王五`): the list goes on.
    static let listRoles = ["见习记者", "实习记者", "通讯员", "实习生", "记者"]
    /// Last words of a role title that precedes the name as one word ("特约评论员", "首席记者").
    static let roleEndings = ["评论员", "记者", "通讯员", "撰稿人", "特约作者"]
    /// Role words before a name that are not part of it.
    static let rolePrefixes = ["本报记者", "本刊记者", "新华社记者", "特约记者", "实习记者", "见习记者", "本报通讯员", "通讯员",
                               "记者", "本报", "本刊", "新华社"]
    static let separators: Set<Character> = ["：", ":", " ", "\u{3000}", "\u{a0}", "／", "/", "】", "]"]
    static let stopCharacters: Set<Character> = ["(", "（", "【", "[", "|", "｜", "，", "。", ",", ";", "；", "<", "\n", "》", "《", "“", "”", "!", "！",
                                                 ")", "）", "】", "]", "/", "／", "?", "？"]

    /// Last characters of an outlet or role before "记者" in a byline (光明日报记者, 新华社记者, 总台记者,
    /// 特约记者, 首席记者, 频道 记者); other words before it mean running text ("告诉记者").
    static let outletEndings: Set<Character> = ["报", "社", "台", "网", "刊", "约", "习", "席", "电", "视", "道", "站", "部"]
    /// Words after a name that end a byline: "发自北京", "山东冠县报道", "摄".
    static let datelineWords = ["发自", "报道", "摄影", "摄"]

    static func author(in line: String) -> String? {
        let isInfoLine = BoilerplateLine.isInfoLine(line)
        let lineBytes = Array(line.utf8)
        for (label, labelBytes) in zip(authorLabels, authorLabelBytes) {
            guard let (head, rest) = split(line, lineBytes, at: labelBytes) else { continue }
            // "编辑 / 作者" guard: the label must not be part of an editor credit
            let before = head.suffix(2)
            if before.hasSuffix("编辑") || before.hasSuffix("责任") { continue }
            if label == "记者" && rest.hasPrefix("站") { continue }
            // "作者单位", "作者简介", "作者认为": a label other than 记者 is followed by a separator
            // in a byline; 记者 runs into the name ("本报记者罗科苏盈").
            let endsInSeparator = ["/", "／", "：", ":", "丨", "｜", "|"].contains(where: { label.hasSuffix($0) })
            if label != "记者" && !endsInSeparator, let next = rest.first, !separators.contains(next) { continue }
            // In running text ("他告诉记者…") the label follows a word; in a byline it starts the
            // line, follows punctuation, or follows a role word ("本报记者").
            if !isInfoLine && !isWholeByline(head: head, rest: rest) {
                if let prev = head.last, prev.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }),
                   !outletEndings.contains(prev) {
                    continue
                }
                if head.count > 30 { continue }
            }
            if label.hasPrefix("文") {
                // "文/", "文：" must start the line or follow a bracket/space ("全文：", "原文：" are no credits)
                if let prev = head.last, !(prev == " " || prev == "（" || prev == "(" || prev == "【") { continue }
            }
            if let name = names(after: rest, maxNames: maximumNames) { return name }
        }
        return forumPoster(in: line)
    }

    /// Labels of an editor credit, most specific first.
    static let editorLabels = ["责任编辑", "责编", "编辑"]

    /// The editor a credit line names: `编辑：山石`, `（ 责任编辑：魏喆 ）`. Portals credit the
    /// editor on reposted items that name no writer; such a page's author is its editor.
    /// The label must start the line or follow a bracket, a space or a field separator, and a
    /// separator must follow it (`编辑部`, `编辑认为` are no credits).
    static func editor(in line: String) -> String? {
        let trimmed = TextSearch.trimmed(line)
        guard trimmed.count <= 60 else { return nil }
        let bytes = Array(trimmed.utf8)
        for label in editorLabels {
            guard let (head, rest) = split(trimmed, bytes, at: Array(label.utf8)) else { continue }
            if let prev = head.last, !(prev.isWhitespace || "（([【［|｜，,;；]】".contains(prev)) { continue }
            guard let next = rest.first, next == "：" || next == ":" || next == " " || next == "\u{3000}" else { continue }
            if let name = names(after: rest, maxNames: 3) { return name }
        }
        return nil
    }

    /// Names in one byline: reporter lists of a dozen people occur (provincial reports).
    static let maximumNames = 12

    /// A short line that is an outlet or a place, the label, and names only: "交汇点记者 徐睿翔".
    /// Running text goes on after the label ("告诉记者，他…"), so whatever word precedes it, such
    /// a line is a byline.
    private static func isWholeByline(head: Substring, rest: Substring) -> Bool {
        guard head.count <= 12, rest.count <= 40, let found = names(after: rest, maxNames: maximumNames) else { return false }
        let spacing: Set<Character> = [" ", "\u{3000}", "\u{a0}", "、", "：", ":"]
        var remainder = rest.filter { !spacing.contains($0) }
        for role in listRoles { remainder = remainder.replacingOccurrences(of: role, with: "") }
        return remainder == found.filter { $0 != " " }
    }

    /// Forum footers and post headers: `本贴由 大卫 于2005年8月12日…发表`, `本帖由 X 于 … 发布`.
    static let posterLabels = ["本贴由", "本帖由", "此贴由", "此帖由", "该贴由", "该帖由", "本文由"]
    static let postedWords = ["发表", "发布", "发帖", "发贴", "提交"]

    static func forumPoster(in line: String) -> String? {
        postedBy(in: line) ?? postedAt(in: line) ?? posterLabelled(in: line)
    }

    /// A blog or forum post's header `ggjjzhzz 发表于 2005-9-15 11:46:00`: the one word that
    /// opens the line before 发表于 and a date.
    static let postedAtMarker = " 发表于"

    private static func postedAt(in line: String) -> String? {
        let trimmed = TextSearch.trimmed(line)
        guard trimmed.count <= 80, let (head, rest) = split(trimmed, at: postedAtMarker) else { return nil }
        let name = head.trimmingCharacters(in: .whitespaces)
        guard (1...24).contains(name.count), !name.contains(where: { $0.isWhitespace || stopCharacters.contains($0) }),
              !stopWords.contains(where: { name.contains($0) }), DateScanner.first(in: String(rest)) != nil else { return nil }
        return name
    }

    /// A Chinese forum post's header or footer that gives the time and the poster in English
    /// (`〓 网易娱乐 发布时间 2005/05/17 22:11:42 by 眉间尺 〓`): the word after ` by `, in a line
    /// of CJK text that also holds a date (English bylines are read by `labelledCredit`).
    private static func postedBy(in line: String) -> String? {
        guard line.count <= 120, let (head, rest) = split(line, at: " by "),
              head.unicodeScalars.contains(where: { CJKScript.contains($0) }) else { return nil }
        let name = String(rest.prefix { !$0.isWhitespace && $0 != "〓" && !stopCharacters.contains($0) })
        guard (1...24).contains(name.count), DateScanner.first(in: line) != nil,
              !stopWords.contains(where: { name.contains($0) }) else { return nil }
        return name
    }

    private static func posterLabelled(in line: String) -> String? {
        let bytes = Array(line.utf8)
        for label in posterLabels {
            guard let (_, rest) = split(line, bytes, at: Array(label.utf8)),
                  let at = rest.firstIndex(of: "于") else { continue }
            let after = rest[rest.index(after: at)...].prefix(40)
            guard postedWords.contains(where: { after.contains($0) }) else { continue }
            let name = rest[..<at].trimmingCharacters(in: CharacterSet(charactersIn: " \u{3000}\u{a0}"))
            guard (1...24).contains(name.count), !name.contains(where: { stopCharacters.contains($0) }),
                  !stopWords.contains(where: { name.contains($0) }) else { continue }
            return name
        }
        return nil
    }

    /// The text before and after the first occurrence of `label`.
    static func split(_ line: String, at label: String) -> (before: Substring, after: Substring)? {
        split(line, Array(line.utf8), at: Array(label.utf8))
    }

    static func split(_ line: String, _ lineBytes: [UInt8], at label: [UInt8]) -> (before: Substring, after: Substring)? {
        guard let offset = TextSearch.find(label, in: lineBytes) else { return nil }
        let utf8 = line.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        let upper = utf8.index(lower, offsetBy: label.count)
        return (line[..<lower], line[upper...])
    }

    static let authorLabelBytes = authorLabels.map { Array($0.utf8) }
    /// Each author label followed by a separator, as bytes (what a byline outside the body must show).
    static let labelWithSeparatorBytes: [[UInt8]] = authorLabels.flatMap { label in
        label.hasSuffix("/") || label.hasSuffix("／") ? [Array(label.utf8)]
            : ["：", ":", " ", "\u{3000}", "\u{a0}"].map { Array((label + $0).utf8) }
    }

    /// A name standing alone in brackets: `（袁源）` closing an article, `[ 黄宇 ]` in an info line.
    static func bracketedName(in line: String, wholeLine: Bool) -> String? {
        // a line that is only 【…】 is a section heading ("【写在最后】"), no name
        let pairs: [(Character, Character)] = [("（", "）"), ("(", ")"), ("[", "]"), ("［", "］")] + (wholeLine ? [] : [("【", "】")])
        let trimmed = TextSearch.trimmed(line)
        for (open, close) in pairs {
            var searchFrom = trimmed.startIndex
            while let start = trimmed[searchFrom...].firstIndex(of: open), let end = trimmed[start...].firstIndex(of: close) {
                searchFrom = trimmed.index(after: end)
                if wholeLine && (start != trimmed.startIndex || trimmed.index(after: end) != trimmed.endIndex) { continue }
                // "来源：[ 人民网 ]" names the outlet, not the author
                let before = trimmed[..<start].trimmingCharacters(in: .whitespaces)
                if outletLabels.contains(where: { before.hasSuffix($0 + "：") || before.hasSuffix($0 + ":") || before.hasSuffix($0) }) { continue }
                if let name = bracketContent(trimmed, start, end) { return name }
            }
        }
        return nil
    }

    /// The reporters a news agency's dateline names in brackets: `新华社北京5月19日电（刘艺、杨吉）`,
    /// `中新网上海3月2日电(记者 陈静)`, at the start of the story's first paragraph.
    static func datelineNames(in line: String) -> String? {
        let head = line.prefix(Self.datelineLength)
        guard let mark = head.range(of: "电（") ?? head.range(of: "电(") else { return nil }
        return bracketedName(in: String(line[line.index(before: mark.upperBound)...]), wholeLine: false)
    }

    /// Characters before `电（` in an agency dateline ("新华社乌鲁木齐12月31日电" is 14).
    static let datelineLength = 24

    /// The names inside one bracket pair, when the bracket holds nothing but Han names.
    private static func bracketContent(_ trimmed: String, _ start: String.Index, _ end: String.Index) -> String? {
        var inner = trimmed[trimmed.index(after: start)..<end]
        // a dateline after the names: "（姚峰 上海报道）", "（记者 张倩 发自北京）"
        if let space = inner.lastIndex(where: { $0 == " " || $0 == "\u{3000}" }) {
            let last = inner[inner.index(after: space)...]
            if last.count <= 8 && (last.hasSuffix("报道") || last.hasPrefix("发自")) { inner = inner[..<space] }
        }
        guard let names = names(after: inner, maxNames: 5), !names.isEmpty,
              names.split(separator: " ").allSatisfy({ $0.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) } }),
              !stopWords.contains(where: { inner.contains($0) }) else { return nil }
        let rest = inner.filter { !$0.isWhitespace && $0 != "\u{3000}" && $0 != "、" }
        return rest.count == names.filter({ $0 != " " }).count ? names : nil
    }

    /// Values of meta author tags that name an organisation or a site, not a person.
    static func isOrganisation(_ value: String) -> Bool {
        let lower = value.lowercased()
        let marks = ["www.", ".com", ".cn", ".net", ".org", "集团", "出版社", "报社", "通讯社", "新华社", "中新社", "有限公司", "publisher",
                     "网站", "新闻网", "日报", "电视台", "杂志"]
        if marks.contains(where: { TextSearch.contains(lower, $0) }) { return true }
        // outlets and their accounts: 每日经济新闻, 新浪财经, 南方传媒, 三联生活周刊
        if ["新闻", "财经", "传媒", "周刊", "频道"].contains(where: { value.hasSuffix($0) }) { return true }
        if value.split(whereSeparator: { $0 == " " || $0 == "/" }).contains(where: { isHostName($0) }) { return true }
        return value.hasSuffix("网") || value.hasSuffix("报")
    }

    /// A word shaped like a host name ("mdr.de", "24horas.cl", "LAOLA1.at"): labels of letters,
    /// digits and hyphens, the last one two to six lower-case letters (a top-level domain).
    static func isHostName<S: StringProtocol>(_ word: S) -> Bool {
        let labels = word.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, (2...6).contains(tld.count),
              tld.allSatisfy({ $0.isASCII && $0.isLowercase }), labels.dropLast().allSatisfy({ $0.count >= 2 }) else { return false }
        return labels.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
    }

    /// Common surnames (the most frequent family names, covering most of the population): a line
    /// that is only a name starting with one of these, next to the body, is a byline.
    static let commonSurnames: Set<Character> = Set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")

    /// A line that is nothing but one personal name (2–3 Han characters, common surname).
    static func standaloneName(_ line: String) -> String? {
        let trimmed = TextSearch.trimmed(line)
        guard (2...3).contains(trimmed.count), let first = trimmed.first, commonSurnames.contains(first),
              trimmed.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }),
              !stopWords.contains(where: { trimmed.contains($0) }) else { return nil }
        return trimmed
    }

    static func outlet(in line: String) -> String? {
        for label in outletLabels {
            guard let (_, rest) = split(line, at: label) else { continue }
            guard let first = rest.first, first == "：" || first == ":" || first == " " || first == "\u{3000}" else { continue }
            var value = ""
            var started = false
            for ch in rest {
                if !started && separators.contains(ch) { continue }
                started = true
                if stopCharacters.contains(ch) || ch == " " || ch == "\u{3000}" || ch == "\u{a0}" { break }
                value.append(ch)
                if let stop = stopWords.first(where: { value.hasSuffix($0) }) {
                    value.removeLast(stop.count)
                    break
                }
                if value.count > 30 { break }
            }
            value = value.trimmingCharacters(in: .whitespaces)
            if value.count >= 2 && !value.allSatisfy({ $0.isNumber || $0 == "-" || $0 == ":" }) { return value }
        }
        return nil
    }

    /// Up to `maxNames` names after a label: CJK names of 2–4 characters, or Latin words.
    static func names(after rest: Substring, maxNames: Int) -> String? {
        var text = ""
        var started = false
        var endedByDateline = false
        var endedByDigit = false
        let characters = Array(rest.prefix(80))
        for (k, ch) in characters.enumerated() {
            if !started && separators.contains(ch) { continue }
            started = true
            if ch.isNumber { endedByDigit = true; break }
            if stopCharacters.contains(ch) { break }
            text.append(ch)
            // "张三 李四 通讯员 王五": a role word after a name continues the list
            if let role = listRoles.first(where: { text.hasSuffix($0) }) {
                let before = text.dropLast(role.count)
                if before.contains(where: { !separators.contains($0) }) {
                    text = String(before) + " "
                    continue
                }
            }
            if let stop = stopWords.first(where: { text.hasSuffix($0) }) {
                // "评论" ends a name ("评论(5)") unless it begins a role word ("特约评论员")
                let next = String(characters[(k + 1)...].prefix(4))
                if !roleEndings.contains(where: { $0.hasPrefix(stop) && next.hasPrefix($0.dropFirst(stop.count)) && $0.count > stop.count }) {
                    text.removeLast(stop.count)
                    break
                }
            }
            if let stop = datelineWords.first(where: { text.hasSuffix($0) }) {
                text.removeLast(stop.count)
                endedByDateline = true
                break
            }
        }
        // a name runs into a number only in running text ("记者经历了近4个小时")
        if endedByDigit, let last = text.last, !last.isWhitespace && last != "\u{3000}" && last != "\u{a0}" {
            let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\u{a0}" })
            text = tokens.dropLast().joined(separator: " ")
        }
        var result: [String] = []
        for raw in text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "、" || $0 == "\u{a0}" || $0 == "：" || $0 == ":" }) {
            var token = String(raw)
            for prefix in rolePrefixes where token.hasPrefix(prefix) && token.count > prefix.count {
                token.removeFirst(prefix.count)
                break
            }
            if rolePrefixes.contains(token) { continue }
            // "政能亮特约评论员 韩涵": an outlet or column and a role before the name, not a name
            if result.isEmpty, token.count > 3, roleEndings.contains(where: { token.hasSuffix($0) }) { continue }
            let isHan = token.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || $0 == "·" }
            if isHan {
                guard (2...4).contains(token.count) || (token.contains("·") && token.count <= 12) else { break }
            } else {
                guard token.count <= 24, token.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "&" || $0 == "_" || $0 == "." || $0 == "-" || ("0"..."9").contains($0) }) else { break }
            }
            result.append(token)
            if result.count == maxNames { break }
        }
        // "彭冲 山东冠县报道": the word before 报道/发自 is a place when a name precedes it
        if endedByDateline && result.count >= 2 { result.removeLast() }
        return result.isEmpty ? nil : result.joined(separator: " ")
    }

    /// An English byline ("By Jane Doe and John Roe | Reuters") reduced to the names.
    static func englishByline(_ line: String) -> String? {
        var s = line.trimmingCharacters(in: .whitespacesAndNewlines)
        s = withoutByPrefix(s)
        for cut in [" | ", " - ", "\n", " on ", " updated", " published", ",  ", " — "] {
            if let r = s.range(of: cut, options: .caseInsensitive) { s = String(s[..<r.lowerBound]) }
        }
        s = s.replacingOccurrences(of: " and ", with: ", ")
        s = withoutJobTitles(s)
        s = s.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:"))
        guard !s.isEmpty, s.count <= 80, s.rangeOfCharacter(from: .decimalDigits) == nil else { return nil }
        let words = s.split(separator: " ")
        guard words.count <= 12 else { return nil }
        return s
    }

    /// Credit labels of Western bylines that open a line: "By Jane Doe", "Von Peter Maahn",
    /// "Autor: …". The colon-only labels name the field ("Text: Anna Muster") and need the colon.
    static let creditLabels = ["written by", "posted by", "published by", "words by", "story by", "article by", "recipe by", "by",
                               "erstellt von", "eingestellt von", "geschrieben von", "verfasst von", "ein beitrag von", "von",
                               "publié par", "écrit par", "par", "publicado por", "escrito por", "por", "scritto da", "door"]
    static let creditFieldLabels = ["autor", "autorin", "author", "auteur", "autore", "text", "verfasser", "verfasserin", "artikel von"]

    /// Whether a credit is only a label, a form field or a CMS's default account: "By", "Written
    /// by", "Author", "Name *" (a comment form's field, marked up as `author`), "admin", which
    /// name nobody.
    static func isLabelOnly(_ credit: String) -> Bool {
        let bare = credit.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " *:：\u{a0}"))
        if bare.isEmpty || creditLabels.contains(bare) || creditFieldLabels.contains(bare)
            || ["name", "your name", "posted", "no author", "unknown", "anonymous author", "admin", "administrator", "webmaster"].contains(bare)
            || !bare.contains(where: \.isLetter) {
            return true
        }
        // the words of the field next to a byline, or of its buttons ("Publiziert am", "Datum", "Follow")
        let words = bare.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
        return words.allSatisfy { creditFieldWords.contains($0) || ["publiziert", "follow", "folgen"].contains($0) }
    }

    /// Follow and fan counters that author widgets print after the name ("管不饿关注", "好看的hk 粉丝").
    static let followWords = ["+关注", "已关注", "关注", "粉丝"]

    /// The name without a follow widget's word after it.
    static func withoutFollowWord(_ credit: String) -> String {
        for word in followWords where credit.hasSuffix(word) && credit.count > word.count {
            return TextSearch.trimmed(String(credit.dropLast(word.count)))
        }
        return credit
    }

    /// Whether a credit is a slogan or a heading, no name: names carry no exclamation mark and no
    /// 【】 brackets ("成就一亿技术人!", "【写在最后】").
    static func isSloganOrHeading(_ credit: String) -> Bool {
        credit.contains(where: { "!！【】".contains($0) })
    }

    /// Whether a credit is a commenter's ("Scott Fadick says", "gnaddrig Sagt"): a comment's
    /// author, not the page's.
    static func isCommenter(_ credit: String) -> Bool {
        guard let last = credit.split(separator: " ").last?.lowercased().trimmingCharacters(in: .punctuationCharacters) else { return false }
        return ["says", "said", "sagt", "schreibt", "dit", "dice", "diz"].contains(last)
    }

    /// Whether a credit opens with a weekday or month name ("Wednesday", "March 3"): a date, no name.
    static func opensWithDateWord(_ credit: String) -> Bool {
        guard let first = credit.split(separator: " ").first.map({ $0.trimmingCharacters(in: .punctuationCharacters) }) else { return false }
        return DateScanner.isMonthName(first) || weekdayNames.contains(first.lowercased())
    }

    static let weekdayNames: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "sonnabend",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    ]

    /// Lower-case words inside a name ("Anna Muster und Kai Beispiel", "Lea van Dijk").
    static let nameConnectors: Set<String> = ["und", "and", "&", "de", "da", "van", "von", "der", "den", "du", "la", "le", "y", "e", "et", "mit"]
    /// Words that open the next field of a byline: "By Jane Doe on …", "Von Peter Maahn am …", "… Date: …".
    static let creditFieldWords: Set<String> = ["on", "am", "le", "el", "updated", "published", "posted", "date", "datum", "aktualisiert",
                                                "veröffentlicht", "erstellt"]

    /// The names of a line that opens with a credit label, or nil: the label must start the line and
    /// the rest must read as 1–6 capitalised name words (connectors like "und", "de", "van" aside),
    /// up to the first date, number, separator or agency slash ("Peter Maahn/SP-X", "By Jane Doe •
    /// 5 min read"). `label` alone on the line gives "" (its name is on the next line).
    static func labelledCredit(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        var rest: Substring?
        for label in creditFieldLabels where lower.hasPrefix(label) {
            var after = trimmed.dropFirst(label.count)
            // French sets a space before the colon ("Auteur : …")
            if after.first == " " || after.first == "\u{a0}" || after.first == "\u{202f}" { after = after.dropFirst() }
            if after.first == ":" || after.first == "：" { rest = after.dropFirst(); break }
        }
        if rest == nil {
            for label in creditLabels where lower.hasPrefix(label) {
                let after = trimmed.dropFirst(label.count)
                guard let next = after.first else { rest = after; break }
                // "By:"; "By Jane"; "ByJ.R. Stone" (a byline glued to its label by markup), not "Bypass"
                if next == ":" { rest = after.dropFirst(); break }
                if next == " " || next == "\u{a0}" || (label == "by" && next.isUppercase) { rest = after; break }
            }
        }
        guard var name = rest.map({ String($0).trimmingCharacters(in: .whitespaces) }) else { return nil }
        if name.isEmpty { return "" }
        for cut in ["/", " | ", " - ", " – ", " — ", "•", "⋅", "·", ",", ";", "(", "\n"] {
            if cut == ",", let list = nameList(name) { return list }
            guard let r = name.range(of: cut) else { continue }
            // "Von Kindern, die zu früh …" is a sentence; "By Jane Doe, senior reporter" a byline
            let next = name[r.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            if [",", ";"].contains(cut), next.first?.isLowercase == true, !jobTitleWords.contains(next.lowercased()) { return nil }
            name = String(name[..<r.lowerBound])
        }
        var words = name.split(separator: " ").map(String.init)
        if let digit = words.firstIndex(where: { $0.contains(where: \.isNumber) }) {
            words = Array(words[..<digit])
            // "By Chuck Squatriglia January 7, 2009": the month opens the date
            if let last = words.last, DateScanner.isMonthName(last.trimmingCharacters(in: .punctuationCharacters)) { words.removeLast() }
        }
        if let i = words.firstIndex(where: { creditFieldWords.contains($0.lowercased().trimmingCharacters(in: .punctuationCharacters)) }) {
            words = Array(words[..<i])
        }
        while let last = words.last, nameConnectors.contains(last.lowercased()) { words.removeLast() }
        guard (1...6).contains(words.count), words.first?.first?.isUppercase == true,
              words.allSatisfy({ ($0.first?.isUppercase == true || nameConnectors.contains($0.lowercased()))
                  && !$0.contains(where: { ":™®@".contains($0) }) }) else { return nil }
        let joined = withoutJobTitles(words.joined(separator: " "))
        return joined.isEmpty || isOrganisation(joined) ? nil : joined
    }

    /// "Daniel Braun, Davor Pasoski", "Nathan Parker; Varun Khaneja; Eric Mill": two to eight parts
    /// between commas or semicolons, each one to four capitalised name words and no job title,
    /// said as one list; nil for anything else.
    private static func nameList(_ credit: String) -> String? {
        var parts = credit.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        // "…, Eric Mill and Kiran C Nair": the last two names joined by a connector
        if parts.count > 1, let last = parts.last {
            for joiner in [" and ", " und ", " y ", " et ", " e ", " & "] where last.contains(joiner) {
                parts.removeLast()
                parts += last.components(separatedBy: joiner).map { $0.trimmingCharacters(in: .whitespaces) }
                break
            }
        }
        guard (2...8).contains(parts.count) else { return nil }
        for part in parts {
            let words = part.split(separator: " ").map(String.init)
            guard (1...4).contains(words.count), words.first?.first?.isUppercase == true,
                  words.allSatisfy({ ($0.first?.isUppercase == true || nameConnectors.contains($0.lowercased()))
                      && !$0.contains(where: { $0.isNumber || ":™®@()/|".contains($0) })
                      && !jobTitleWords.contains($0.lowercased()) && !groupWords.contains($0.lowercased()) }) else { return nil }
        }
        return parts.joined(separator: ", ")
    }

    /// A declared author (meta tag, JSON-LD, rel=author) without the credit around the name:
    /// "By Jane Doe" → "Jane Doe", "Jane Doe, Senior Reporter" → "Jane Doe". Lists stay lists.
    static func declaredName(_ value: String) -> String {
        let s = withoutJobTitles(withoutByPrefix(value.trimmingCharacters(in: .whitespacesAndNewlines)))
        let trimmed = s.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:|-"))
        return trimmed.isEmpty ? value : trimmed
    }

    private static func withoutByPrefix(_ value: String) -> String {
        let lower = value.lowercased()
        for prefix in ["written by:", "written by ", "words by ", "story by ", "posted by ", "by:", "by ", "von ", "por ", "par "]
        where lower.hasPrefix(prefix) {
            return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return value
    }

    /// Words that make a part of a credit a job title, not a person ("Jane Doe, Senior Reporter",
    /// "John Roe, Staff Writer, Daily Planet"): English newsroom and company roles.
    static let jobTitleWords: Set<String> = [
        "reporter", "reporters", "editor", "editors", "writer", "writers", "correspondent", "correspondents", "columnist",
        "contributor", "contributors", "staff", "producer", "analyst", "photographer", "journalist", "director", "chief",
        "senior", "associate", "deputy", "managing", "executive", "contributing", "freelance", "professor", "researcher",
        "president", "vp", "founder", "co-founder", "ceo", "cto", "manager", "intern", "critic", "editor-in-chief", "head",
    ]

    /// Words of a credit that names a group, not a person.
    static let groupWords: Set<String> = ["staff", "editors", "reporters", "writers", "contributors", "team", "desk", "newsroom"]

    /// A credit without job titles: the first part (the name) keeps its words up to a trailing
    /// title ("Susan Poe MBE Managing Director" → "Susan Poe MBE"); at the first later part that is
    /// a title (or "for Reuters"), the rest goes (the title's employer follows it). Parts that
    /// repeat are said once ("Tom Hale – Tom Hale"). Unchanged when nothing is dropped.
    static func withoutJobTitles(_ value: String) -> String {
        let parts = value.components(separatedBy: CharacterSet(charactersIn: ",|–—")).flatMap { $0.components(separatedBy: " - ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        func isTitle(_ word: Substring) -> Bool { jobTitleWords.contains(word.lowercased().trimmingCharacters(in: .punctuationCharacters)) }
        guard var first = parts.first else { return value }
        // "Keith Poe Senior Autos Reporter" → "Keith Poe": a title after two or more name words;
        // a group credit ("Podium Staff", "Our Editors", "The Currency editors") stays whole.
        let firstWords = first.split(separator: " ")
        var cut = firstWords.count
        if let t = firstWords.indices.first(where: { isTitle(firstWords[$0]) }), t >= 2,
           !firstWords.contains(where: { groupWords.contains($0.lowercased()) }) {
            cut = t
        }
        let titledFirst = cut < firstWords.count
        var changed = titledFirst
        first = firstWords.prefix(cut).joined(separator: " ")
        var kept = [first]
        for part in parts.dropFirst() where !titledFirst {
            let words = part.split(separator: " ")
            if words.first.map({ $0.lowercased() == "for" || $0.lowercased() == "at" }) == true || words.contains(where: isTitle) {
                changed = true
                break
            }
            if kept.contains(part) { changed = true; continue }
            kept.append(part)
        }
        return changed ? kept.joined(separator: ", ") : value
    }
}

import Foundation
