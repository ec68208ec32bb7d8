import Foundation
import Testing
@testable import Extraction

@Suite("Titles, bylines and sources")
struct MetadataTests {
    @Test("site names are removed from titles", arguments: [
        ("长三角合力构建科技创新共同体_中国报道网-中国报道杂志社唯一官方网站", "长三角合力构建科技创新共同体"),
        ("习近平会见外国专家代表 - 新华网", "习近平会见外国专家代表"),
        ("City council approves new riverside park plan | The Daily Example", "City council approves new riverside park plan"),
        ("A title without a site", "A title without a site"),
    ])
    func siteSuffix(title: String, expected: String) {
        #expect(TitleCleaner.stripSiteName(title, siteName: nil) == expected)
    }

    @Test("authors are read from bylines, editors never", arguments: [
        ("时间:2023-06-17 02:27:18来源:中安在线作者: 徐慧媛", "徐慧媛"),
        ("光明日报记者 王建宏 张文攀", "王建宏 张文攀"),
        ("新华社拉萨电（记者 格桑边觉）记者近日从会议上了解到", "格桑边觉"),
        ("本报记者罗科苏盈发自北京", "罗科苏盈"),
        ("新京报记者 彭冲 山东冠县报道", "彭冲"),
        ("文/李明", "李明"),
    ])
    func bylines(line: String, author: String) {
        #expect(BylineParser.author(in: line) == author)
    }

    @Test("running text and editor credits give no author", arguments: [
        "孙启勤告诉记者，他仍然在坚持购买彩票。", "（责任编辑：魏喆）", "责任编辑：李华", "本刊记者经历了近4个小时的车程",
    ])
    func notBylines(line: String) {
        #expect(BylineParser.author(in: line) == nil)
    }

    @Test("a name alone on a line is a byline only when it looks like a personal name")
    func standaloneNames() {
        #expect(BylineParser.standaloneName("胡平") == "胡平")
        #expect(BylineParser.standaloneName(" 王建宏 ") == "王建宏")
        #expect(BylineParser.standaloneName("前言") == nil)
        #expect(BylineParser.standaloneName("王府井大街") == nil)
        #expect(BylineParser.standaloneName("来源") == nil)
    }

    @Test("a bracketed name closes an article; a bracketed outlet after 来源 is not an author")
    func bracketedNames() {
        #expect(BylineParser.bracketedName(in: "（袁源）", wholeLine: true) == "袁源")
        #expect(BylineParser.bracketedName(in: "（常书香 马丹阳 ）", wholeLine: true) == "常书香 马丹阳")
        #expect(BylineParser.bracketedName(in: "2005年3月11日12:12 来源：[ 人民网 ]", wholeLine: false) == nil)
        #expect(BylineParser.bracketedName(in: "2004年7月16日08:19 [ 黄宇 ] 来源：[ 人民网 ]", wholeLine: false) == "黄宇")
    }

    @Test("the source is read from 来源 and stops at the next field")
    func outlet() {
        #expect(BylineParser.outlet(in: "时间:2023-06-17 02:27:18来源:中安在线、中安新闻客户端作者: 徐慧媛") == "中安在线、中安新闻客户端")
        #expect(BylineParser.outlet(in: "2005年03月21日 10:27　来源：新华网　作者：王明") == "新华网")
    }

    @Test("CSS rules translate to XPath", arguments: [
        ("div.article-body", "//div[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]"),
        ("#content > p", "//*[@id='content']/p"),
        ("article, .story", "//article | //*[contains(concat(' ', normalize-space(@class), ' '), ' story ')]"),
        ("a[rel=author]", "//a[@rel='author']"),
    ])
    func cssTranslation(css: String, xpath: String) {
        #expect(RuleSelector(css).xpath == xpath)
        #expect(RuleSelector("//div[@id='x']").xpath == "//div[@id='x']")
    }
}
