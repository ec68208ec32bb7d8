import Foundation
import Testing
import TidingsCore
@testable import Syndication

@Suite("Text made safe for feeds")
struct FeedTextTests {
    @Test("XML 1.0 §2.2: controls, noncharacters and stray BOMs are dropped; tab, newline and all of Unicode stay",
          arguments: [
              ("a\u{0}b\u{8}c\u{1F}d\u{7F}e\u{85}f", "abcdef"),
              ("tab\tand\nnewline", "tab\tand\nnewline"),
              ("crlf\r\nand\rcr", "crlf\nand\ncr"),
              ("\u{FEFF}bom", "bom"),
              ("新闻 مرحبا 👩‍👩‍👧‍👦 \u{202E}", "新闻 مرحبا 👩‍👩‍👧‍👦 \u{202E}"),
          ])
    func legalCharacters(input: String, expected: String) {
        #expect(FeedText.legal(input) == expected)
    }

    @Test("leaked character references are decoded once; unknown ones stay; forbidden ones vanish",
          arguments: [
              ("A&nbsp;B", "A\u{00A0}B"),
              ("AT&amp;amp;T", "AT&amp;T"),
              ("&ldquo;新闻&rdquo;", "\u{201C}新闻\u{201D}"),
              ("&#20013;&#x6587;", "中文"),
              ("&#0;x&#xD800;y&#1114112;", "xy"),
              ("&bogus; & plain", "&bogus; & plain"),
              ("&", "&"),
          ])
    func entities(input: String, expected: String) {
        #expect(EntityDecoder.decode(input) == expected)
    }

    @Test("a title is one line, whitespace folded, never empty, cut with an ellipsis when very long")
    func titles() {
        #expect(FeedText.title("  Breaking:\n\t news&nbsp;&nbsp;today  ") == "Breaking: news today")
        #expect(FeedText.title(" \u{0} \n") == FeedText.untitled)
        #expect(FeedText.title(nil) == FeedText.untitled)
        let long = FeedText.title(String(repeating: "👩‍👩‍👧‍👦", count: 1000))
        #expect(long.count == FeedText.maximumTitleCharacters)
        #expect(long.hasSuffix("…"))
    }

    @Test("language tags follow RFC 4287's pattern", arguments: [
        ("zh-CN", "zh-CN"), ("zh_TW", "zh-TW"), ("en", "en"), (" en ", "en"), ("", nil), ("not a tag!", nil), ("x-klingon-1234567890", nil),
    ] as [(String, String?)])
    func languageTags(input: String, expected: String?) {
        #expect(LanguageTag.normalized(input) == expected)
    }

    @Test("lead images get a media type from their extension, JPEG when there is none")
    func imageTypes() {
        #expect(MediaTypeGuess.imageType(of: URL(string: "https://a.example/x/photo.PNG")!) == "image/png")
        #expect(MediaTypeGuess.imageType(of: URL(string: "https://a.example/x/photo.webp?w=600")!) == "image/webp")
        #expect(MediaTypeGuess.imageType(of: URL(string: "https://a.example/img?id=42")!) == "image/jpeg")
    }

    @Test("a byline naming several people gives one author each; plain commas stay inside a name")
    func authors() {
        #expect(AuthorNames.split("张三、李四") == ["张三", "李四"])
        #expect(AuthorNames.split("Jane Doe and John Roe") == ["Jane Doe", "John Roe"])
        #expect(AuthorNames.split("Jane Doe, Staff Writer") == ["Jane Doe, Staff Writer"])
        #expect(AuthorNames.split(" 王五；王五 ") == ["王五"])
        #expect(AuthorNames.split("  ") == [])
        #expect(AuthorNames.split(nil) == [])
    }

    @Test("each output context escapes its own markup and drops the same forbidden characters", arguments: [
        (.xmlText, "a<b>&\"c\"]]>\u{85}" + RandomEntries.scalars(0xFDD0, 0xFEFF, 0xFFFE, 0x1FFFF) + "😀\r\n", "a&lt;b&gt;&amp;\"c\"]]&gt;😀\n"),
        (.xmlAttribute, "x=\"1\"\tand\nnext", "x=&quot;1&quot;&#9;and&#10;next"),
        (.html, "<a href='x'>&amp;</a>", "&lt;a href=&#39;x&#39;&gt;&amp;amp;&lt;/a&gt;"),
        (.json, "say \"hi\"\\\n\u{2028}\u{1}\t新闻", "say \\\"hi\\\"\\\\\\n\\u2028\\t新闻"),
        (.none, "plain 新闻 text", "plain 新闻 text"),
    ] as [(TextEscaper.Context, String, String)])
    func escaping(context: TextEscaper.Context, input: String, expected: String) {
        #expect(TextEscaper.escaped(input, for: context) == expected)
    }

    /// `line` as it folds text by Characters, the way every non-ASCII text is folded.
    static func foldedByCharacters(_ text: String) -> String {
        FeedText.foldedByCharacters(EntityDecoder.decode(FeedText.legal(text)))
    }

    @Test("an ASCII line is folded exactly as by Characters: CR LF, tabs, form feeds, controls, entities, ends")
    func asciiLineAsByCharacters() {
        let pieces = [" ", "\t", "\n", "\r\n", "\r", "\u{B}", "\u{C}", "\u{1F}", "a", "Word", "&amp;", "&#32;", "&nbsp;", "x&#10;y", ".", "\u{7F}"]
        var generator = SystemRandomNumberGenerator()
        var cases = pieces + ["", "   ", "\r\n\r\n", " lead and trail \t\n"]
        for _ in 0..<500 {
            cases.append((0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in cases {
            #expect(FeedText.line(text) == Self.foldedByCharacters(text), "\(text.debugDescription)")
        }
    }
}
