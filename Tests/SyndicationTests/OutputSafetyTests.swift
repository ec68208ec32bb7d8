import Extraction
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import Testing
import TidingsCore
@testable import Syndication

/// The table of hostile markup in Fixtures/xss-vectors.txt, expanded.
enum XSSVectors {
    static func load() -> [String] {
        let url = Bundle.module.url(forResource: "Fixtures/xss-vectors", withExtension: "txt")!
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var section = ""
        var payloads: [String] = [], vectors: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if line.hasPrefix("[") { section = String(line); continue }
            let item = unescaped(String(line))
            switch section {
            case "[payloads]": payloads.append(item)
            case "[contexts*]": vectors += payloads.map { item.replacingOccurrences(of: "{P}", with: $0) }
            case "[contexts]": vectors += payloads.prefix(6).map { item.replacingOccurrences(of: "{P}", with: $0) }
            default: vectors.append(item)
            }
        }
        return vectors
    }

    /// The payloads alone: URLs a browser would run, for the URL fields of entries.
    static func payloads() -> [String] {
        let url = Bundle.module.url(forResource: "Fixtures/xss-vectors", withExtension: "txt")!
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").drop { $0 != "[payloads]" }.dropFirst().prefix { !$0.hasPrefix("[") }
        return lines.map { unescaped(String($0)) }
    }

    static func unescaped(_ line: String) -> String {
        line.replacingOccurrences(of: "\\\\", with: "\u{E000}").replacingOccurrences(of: "\\t", with: "\t")
            .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
            .replacingOccurrences(of: "\\0", with: "\u{0}").replacingOccurrences(of: "\\x01", with: "\u{1}")
            .replacingOccurrences(of: "\u{E000}", with: "\\")
    }
}

/// Reads every file a publish wrote the way a feed reader or a browser would, and reports
/// anything that could run: links and image URLs that are not http(s), executable markup in
/// the fields readers render as HTML (Atom type="html", RSS descriptions, JSON Feed
/// content_html), and in index.html.
enum PublishedOutput {
    static let atomNamespace = "http://www.w3.org/2005/Atom"
    /// Elements of the index page Tidings writes itself.
    static let indexElements: Set<String> = ["html", "head", "meta", "title", "link", "style", "body", "header", "main",
                                             "section", "h1", "h2", "p", "a", "span", "time"]
    static let jsonURLKeys: Set<String> = ["url", "external_url", "image", "banner_image", "home_page_url", "feed_url",
                                           "icon", "favicon", "next_url"]

    static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && !(url.host ?? "").isEmpty
    }

    static func problems(inFolder folder: URL) throws -> [String] {
        var found: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let file = folder.appendingPathComponent(name)
            let problems: [String]
            switch file.pathExtension {
            case "atom", "rss", "opml": problems = try xmlProblems(file)
            case "json": problems = try jsonProblems(file)
            case "html": problems = try indexProblems(file)
            default: continue
            }
            found += problems.map { "\(name): \($0)" }
        }
        return found
    }

    static func xmlProblems(_ file: URL) throws -> [String] {
        let document = try XMLDocument(contentsOf: file, options: [])
        guard let root = document.rootElement() else { return ["no root element"] }
        let isRSS = root.name == "rss"
        var found: [String] = []
        var stack = [root]
        while let element = stack.popLast() {
            stack += element.children?.compactMap { $0 as? XMLElement } ?? []
            let name = element.localName ?? element.name ?? ""
            let attributes = Dictionary((element.attributes ?? []).map { ($0.name ?? "", $0.stringValue ?? "") }) { a, _ in a }
            for key in ["href", "src", "url", "xml:base"] {
                if let value = attributes[key], !isWebURL(value) { found.append("<\(name) \(key)=\"\(value)\">") }
            }
            for key in ["htmlUrl", "xmlUrl"] {
                if let value = attributes[key], !isWebURL(value), !ActiveContent.isSafeURL(value) { found.append("<\(name) \(key)=\"\(value)\">") }
            }
            let text = element.stringValue ?? ""
            if ["uri", "icon", "logo"].contains(name) || (isRSS && name == "link" && element.uri == nil) || (isRSS && name == "url") {
                if !isWebURL(text) { found.append("<\(name)>\(text)</\(name)>") }
            }
            let rendersHTML = attributes["type"] == "html" || (isRSS && name == "description")
            if rendersHTML {
                found += ActiveContent.problems(inHTML: text).map { "<\(name)>: \($0) in \(text.prefix(200).debugDescription)" }
            }
        }
        return found
    }

    static func jsonProblems(_ file: URL) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
        var found: [String] = []
        var stack: [Any] = [object]
        while let value = stack.popLast() {
            if let array = value as? [Any] { stack += array; continue }
            guard let members = value as? [String: Any] else { continue }
            for (key, member) in members {
                if jsonURLKeys.contains(key), let text = member as? String, !isWebURL(text) { found.append("\(key): \(text)") }
                if key == "content_html", let html = member as? String {
                    found += ActiveContent.problems(inHTML: html).map { "content_html: \($0) in \(html.prefix(200).debugDescription)" }
                }
                stack.append(member)
            }
        }
        return found
    }

    static func indexProblems(_ file: URL) throws -> [String] {
        let html = try String(contentsOf: file, encoding: .utf8)
        var found = ActiveContent.problems(inHTML: html, allowedElements: indexElements, lexical: false)
        guard let document = HTMLDocument(html: html, url: URL(string: "https://reader.example/")!), let root = document.root else {
            return found + ["index.html does not parse"]
        }
        let styles = root.descendants(named: "style")
        if styles.count != 1 || styles.first?.text.trimmingCharacters(in: .whitespacesAndNewlines) != IndexPageWriter.stylesheet {
            found.append("a <style> other than the page's own")
        }
        for meta in root.descendants(named: "meta") where meta.attribute("http-equiv") != nil {
            found.append("<meta http-equiv>")
        }
        for link in root.descendants(named: "a") + root.descendants(named: "link") {
            let href = link.attribute("href") ?? ""
            if URL(string: href)?.scheme != nil && !isWebURL(href) { found.append("<\(link.name) href=\"\(href)\">") }
        }
        return found
    }
}

@Suite("Output safety")
struct OutputSafetyTests {
    static let vectors = XSSVectors.load()
    static let pageURL = URL(string: "https://news.example.com/local/2023/06/17/library-budget.html")!

    /// An article page with the vector in the middle of its body, so extraction keeps it.
    static func page(with vector: String) -> String {
        let paragraph = "The harbour council approved the library budget on Tuesday evening after a long debate about "
            + "opening hours, the children's reading room and the repair of the old roof, which leaks every winter."
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council approves the library budget</title></head>
        <body><article><h1>Council approves the library budget</h1>
        <p>\(paragraph)</p><p>\(paragraph) Residents asked many questions.</p>
        \(vector)
        <p>\(paragraph) The vote was seven to two.</p><p>\(paragraph)</p></article></body></html>
        """
    }

    static func entry(_ article: Article, source: Source, number: Int) -> FeedEntry {
        let seen = Timestamp(date: Date(timeIntervalSince1970: 1_686_970_800 + Double(number)), offsetSeconds: 0)
        return FeedEntry(id: "tag:news.example.com,2026:\(source.id)/\(number)", sourceID: source.id, article: article,
                         firstSeen: seen, updated: seen)
    }

    @Test("the table holds at least 200 vectors, all different")
    func tableSize() {
        #expect(Self.vectors.count >= 200)
        #expect(Set(Self.vectors).count == Self.vectors.count)
    }

    @Test("the check finds what it looks for: raw vectors fail it, clean markup passes", arguments: [
        #"<a href="java&#x09;script:alert(1)">x</a>"#, #"<img src=x onerror=alert(1)>"#, #"<p style="x:expression(1)">x</p>"#,
        #"<a href="javascript&colon;alert(1)">x</a>"#, #"<svg><a xlink:href="data:text/html,x">y</a></svg>"#,
        #"<iframe srcdoc="x"></iframe>"#, #"<meta http-equiv="refresh" content="0;url=https://evil.example/">"#,
        #"<img src="https://news.example.com/a.png" srcset="vbscript:x 2x">"#, #"<form action="https://evil.example/"></form>"#,
        #"<img src="https://news.example.com/a.png" srcset="https://img.example/c_fill,w_480/a.png 1x,javascript:alert(1) 2x">"#,
    ])
    func checkFindsProblems(html: String) {
        #expect(!ActiveContent.problems(inHTML: html).isEmpty)
    }

    @Test("the check passes what the sanitizer should write")
    func checkPassesCleanMarkup() {
        let clean = #"<p>Text &amp; <a href="https://news.example.com/a?b=1&amp;c=2" title="&quot;t&quot;">link</a> "#
            + #"<img src="https://news.example.com/a.png" srcset="https://news.example.com/b.png 2x" alt="x"><br></p>"#
            + #"<img src="https://img.example/a.png" srcset="https://img.example/c_fill,w_480:30/a.png 480w, https://img.example/b.png 2x">"#
        #expect(ActiveContent.problems(inHTML: clean).isEmpty, "\(ActiveContent.problems(inHTML: clean))")
        // As written, the vectors are hostile (lazy-image attributes are inert until a sanitizer
        // promotes them to src, which is what those rows test).
        let direct = Self.vectors.filter { !$0.contains("data-src") }
        let inert = direct.filter { ActiveContent.problems(inHTML: $0).isEmpty }
        #expect(inert.count < direct.count / 10, "inert as written: \(inert)")
    }

    @Test("inputs scripts/fuzz sanitize found (Fixtures/fuzz-crashes/sanitize-*) come out inert")
    func fuzzCrashes() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures/fuzz-crashes", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("sanitize-") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            let html = HTMLSanitizer.sanitize(html: String(decoding: bytes, as: UTF8.self), url: Self.pageURL)
            #expect(ActiveContent.problems(inHTML: html).isEmpty, "\(name): \(ActiveContent.problems(inHTML: html))")
        }
    }

    @Test("DEL, like the C0 controls, is left out of sanitized text and attributes")
    func deleteCharacter() {
        let html = HTMLSanitizer.sanitize(html: "<p>a\u{7F}b\u{1C}c <img src=\"https://news.example.com/x.png\" alt=\"d\u{7F}e\"></p>",
                                          url: Self.pageURL)
        #expect(!html.utf8.contains(0x7F) && !html.utf8.contains(0x1C), "\(html.debugDescription)")
        #expect(html.contains("abc") && html.contains("alt=\"de\""), "\(html)")
        #expect(ActiveContent.problems(inHTML: html).isEmpty)
    }

    @Test("nothing executable survives the sanitizer, extraction, and the Atom, RSS, JSON Feed and index.html writers")
    func vectorTable() throws {
        let payloadURLs = XSSVectors.payloads().compactMap { URL(string: $0) }
        #expect(payloadURLs.count >= 10)
        var channels: [FeedChannel] = []
        var sanitizerProblems: [String] = []
        var extracted = 0
        for (number, vector) in Self.vectors.enumerated() {
            let source = Source(id: "v\(number)", title: vector, url: URL(string: "https://news.example.com/s\(number)/")!, keep: 10)
            var entries: [FeedEntry] = []
            // Through extraction, as a fetched page would go.
            if case .success(var article) = Extractor().extract(html: Self.page(with: vector), url: Self.pageURL) {
                extracted += 1
                article.url = payloadURLs[number % payloadURLs.count]
                entries.append(Self.entry(article, source: source, number: 0))
            }
            // The sanitizer alone, and the vector in every text field and URL field of an entry.
            let sanitized = HTMLSanitizer.sanitize(html: vector, url: Self.pageURL)
            sanitizerProblems += ActiveContent.problems(inHTML: sanitized).map { "\($0) from \(vector.debugDescription)" }
            let hostile = payloadURLs[(number + 1) % payloadURLs.count]
            var article = Article(url: hostile, canonicalURL: URL(string: vector) ?? hostile, title: vector, author: vector,
                                  outlet: vector, leadImage: hostile, html: sanitized, text: vector, summary: vector)
            article.keywords = [vector]
            var withText = Self.entry(article, source: source, number: 1)
            withText.relatedLinks = [hostile]
            entries.append(withText)
            channels.append(FeedChannel(source: source, entries: entries, subtitle: number.isMultiple(of: 2) ? nil : vector,
                                        icon: hostile))
        }
        #expect(sanitizerProblems.isEmpty, "\(sanitizerProblems.prefix(20))")
        #expect(extracted > Self.vectors.count * 9 / 10, "most pages still extract: \(extracted) of \(Self.vectors.count)")

        let folder = try SampleFeeds.temporaryFolder()
        _ = try SampleFeeds.publisher(folder).publish(channels)
        let problems = try PublishedOutput.problems(inFolder: folder)
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(20))")
        // The check reads what was written: every source's three feeds and the index are there.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.filter { $0.hasSuffix(".atom") }.count == Self.vectors.count + 1)
    }

    @Test("entry links, images and related links that are not http(s) are left out of every format", arguments: [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
        "file:///etc/passwd", "ftp://news.example.com/a", "mailto:a@news.example.com", "https:no-host",
    ])
    func nonWebLinksRefused(link: String) throws {
        let url = try #require(URL(string: link))
        let source = Source(id: "links", title: "Links", url: URL(string: "https://news.example.com/")!)
        var article = Article(url: url, canonicalURL: url, title: "Story", leadImage: url, html: "<p>Body.</p>", text: "Body.")
        article.keywords = ["k"]
        var entry = Self.entry(article, source: source, number: 1)
        entry.relatedLinks = [url]
        let folder = try SampleFeeds.temporaryFolder()
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: source, entries: [entry], icon: url)])
        for name in ["links.atom", "links.rss", "links.json", "all.atom", "index.html"] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains(link), "\(name) carries \(link)")
            #expect(!text.contains(link.replacingOccurrences(of: "<", with: "&lt;")), "\(name) carries \(link)")
        }
        let atom = try XMLDocument(contentsOf: folder.appendingPathComponent("links.atom"), options: [])
        let entryLinks = try atom.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='link']")
        #expect(entryLinks.isEmpty)
        #expect(try PublishedOutput.problems(inFolder: folder).isEmpty)
    }

    @Test("the RSS channel description escapes the source title, which readers render as HTML")
    func rssChannelDescription() throws {
        let source = Source(id: "t", title: "<img src=x onerror=alert(1)> & News", url: URL(string: "https://news.example.com/")!)
        let folder = try SampleFeeds.temporaryFolder()
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: source, entries: [])])
        let rss = try XMLDocument(contentsOf: folder.appendingPathComponent("t.rss"), options: [])
        let description = try #require(try rss.nodes(forXPath: "/rss/channel/description").first?.stringValue)
        #expect(description == "Full-text feed of &lt;img src=x onerror=alert(1)&gt; &amp; News")
        #expect(ActiveContent.problems(inHTML: description).isEmpty)
    }
}
