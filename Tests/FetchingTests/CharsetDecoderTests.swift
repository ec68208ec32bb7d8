import Foundation
import Testing
@testable import Fetching

/// Charset choice: header, BOM, meta (also after 1024 bytes), uchardet; gb2312/gbk → GB18030.
@Suite("CharsetDecoder")
struct CharsetDecoderTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test("a page declared gb2312 keeps the GBK-only character 镕 and everything after it")
    func gb2312PageWithGBKOnlyCharacter() throws {
        let decoded = CharsetDecoder.decode(try Self.fixture("charset-gb2312-rong.html"), contentType: "text/html")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("朱镕基"))
        #expect(decoded.text.contains("结尾标记：完。"))
        #expect(decoded.text.hasSuffix("</html>"))
        #expect(decoded.reason.contains("gb2312"))
    }

    @Test("a page that declares gbk but sends UTF-8 is read as UTF-8")
    func pageLyingAboutItsCharset() throws {
        let decoded = CharsetDecoder.decode(try Self.fixture("charset-lying-gbk-is-utf8.html"), contentType: nil)
        #expect(decoded.charset == "UTF-8")
        #expect(decoded.text.contains("字节其实是 UTF-8"))
        #expect(decoded.reason.contains("valid UTF-8"))
    }

    @Test("a GBK page with no declaration is detected, not read as Latin-1")
    func undeclaredGBKPage() throws {
        let decoded = CharsetDecoder.decode(try Self.fixture("charset-undeclared-gbk.html"), contentType: nil)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("没有任何编码声明"))
        #expect(decoded.text.contains("结尾标记：完。"))
    }

    @Test("a meta charset after the first 1024 bytes is honoured")
    func metaAfter1024Bytes() throws {
        let decoded = CharsetDecoder.decode(try Self.fixture("charset-meta-after-1024.html"), contentType: nil)
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("编码声明出现在前1024字节之后"))
        #expect(decoded.reason.hasPrefix("meta charset=gbk"))
    }

    @Test("the HTTP header charset wins over the meta tag")
    func headerBeatsMeta() throws {
        let bytes = Data("<meta charset=\"utf-8\"><p>caf\u{E9}</p>".data(using: .isoLatin1)!)
        let decoded = CharsetDecoder.decode(bytes, contentType: "text/html; charset=ISO-8859-1")
        #expect(decoded.charset == "WINDOWS-1252")
        #expect(decoded.text.contains("café"))
    }

    @Test("a declared charset that does not decode falls back to detection instead of failing")
    func declaredCharsetThatFails() throws {
        let gbk = try Self.fixture("charset-undeclared-gbk.html")
        let decoded = CharsetDecoder.decode(gbk, contentType: "text/html; charset=utf-8")
        #expect(decoded.charset == "GB18030")
        #expect(decoded.text.contains("结尾标记：完。"))
        #expect(decoded.reason.contains("does not decode"))
    }

    @Test("a UTF-8 byte order mark decides the encoding")
    func byteOrderMark() {
        let decoded = CharsetDecoder.decode(Data([0xEF, 0xBB, 0xBF] + Array("<p>新闻</p>".utf8)), contentType: nil)
        #expect(decoded.charset == "UTF-8")
        #expect(decoded.text == "<p>新闻</p>")
    }

    @Test("big5 is read as BIG5-HKSCS and gbk as GB18030", arguments: [
        ("big5", "BIG5-HKSCS"), ("gbk", "GB18030"), ("GB2312", "GB18030"), ("x-gbk", "GB18030"), ("utf8", "UTF-8"),
        ("iso-8859-1", "WINDOWS-1252"),
    ])
    func labelMapping(label: String, expected: String) {
        #expect(CharsetDecoder.canonicalName(label) == expected)
    }

    @Test("the charset parameter is found in any spelling of a Content-Type, and nil in broken ones", arguments: [
        ("text/html; charset=utf-8", "utf-8"), ("text/html;charset=\"GBK\"", "GBK"),
        ("text/html; Charset = gb2312 ; q=1", "gb2312"), ("text/html; format=flowed; CHARSET='big5'", "big5"),
        ("text/html", nil), ("text/html; charset=", nil), ("text/html; charset", nil), ("text/html; xcharset=utf-8", nil),
        ("charset=utf-8", nil), (";;;==;", nil), ("", nil), ("text/html; charset=\"\"", nil),
    ] as [(String, String?)])
    func charsetParameter(contentType: String, expected: String?) {
        #expect(CharsetDecoder.charsetParameter(contentType) == expected)
    }

    @Test("an XML declaration's encoding is read; broken or missing declarations give none", arguments: [
        ("<?xml version=\"1.0\" encoding=\"GBK\"?><rss/>", "GBK"), ("\n  <?xml version='1.0' encoding = 'big5' ?>", "big5"),
        ("<?xml version=\"1.0\"?><rss/>", nil), ("<?xml version=\"1.0\" encoding=\"GBK\"", nil),
        ("<?xml encoding=GBK?>", nil), ("<?xml encoding=\"\"?>", nil), ("<rss><?xml encoding=\"GBK\"?>", nil),
        ("<?xml", nil), ("", nil),
    ] as [(String, String?)])
    func xmlDeclaration(text: String, expected: String?) {
        #expect(CharsetDecoder.xmlDeclarationEncoding(Array(text.utf8)) == expected)
    }

    @Test("an XML declaration counts for XML and unlabelled bodies, not for text/html (as browsers do)")
    func declarationOnlyForXML() {
        let body = Array("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><title>caf".utf8) + [0xE9] + Array("</title></rss>".utf8)
        #expect(!CharsetDecoder.decode(body, contentType: "text/html").reason.contains("XML declaration"))
        for contentType in ["application/rss+xml", nil] {
            let decoded = CharsetDecoder.decode(body, contentType: contentType)
            #expect(decoded.reason == "XML declaration charset=windows-1252")
            #expect(decoded.text.contains("café"))
        }
    }

    @Test("the meta and the HTTP header win over an XML declaration")
    func declarationOrder() {
        let body = Array("<?xml version=\"1.0\" encoding=\"big5\"?><html><head><meta charset=\"gbk\"></head><p>x</p></html>".utf8)
        #expect(CharsetDecoder.decode(body, contentType: nil).reason == "meta charset=gbk (read as GB18030)")
        #expect(CharsetDecoder.decode(body, contentType: "text/xml; charset=utf-8").reason == "HTTP header charset=utf-8")
    }

    @Test("undecodable bytes are replaced, never truncated")
    func garbageIsNotTruncated() {
        var bytes = Array("<meta charset=gbk><p>开始".data(using: .utf8)!)
        bytes += [0xFF, 0x20, 0xFF, 0x20]
        bytes += Array("end of page</p>".utf8)
        let decoded = CharsetDecoder.decode(Data(bytes), contentType: nil)
        #expect(decoded.text.hasSuffix("end of page</p>"))
    }

    @Test("a NUL byte is dropped and the text after it kept, in UTF-8, a legacy charset and UTF-16")
    func nulBytesDropped() {
        let utf8 = Array("<p>before\u{0}after</p>".utf8)
        #expect(CharsetDecoder.decode(utf8, contentType: "text/html; charset=utf-8").text == "<p>beforeafter</p>")
        let latin1 = Array("<p>caf".utf8) + [0xE9, 0x00] + Array(" au lait</p>".utf8)
        #expect(CharsetDecoder.decode(latin1, contentType: "text/html; charset=iso-8859-1").text == "<p>café au lait</p>")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<p>a\u{0}b</p>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(CharsetDecoder.decode(utf16, contentType: "text/html").text == "<p>ab</p>")
    }
}
