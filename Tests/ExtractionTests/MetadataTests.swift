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

    @Test("the source is read from 来源 and stops at the next field")
    func outlet() {
        #expect(BylineParser.outlet(in: "时间:2023-06-17 02:27:18来源:中安在线、中安新闻客户端作者: 徐慧媛") == "中安在线、中安新闻客户端")
        #expect(BylineParser.outlet(in: "2005年03月21日 10:27　来源：新华网　作者：王明") == "新华网")
    }

    @Test("CSS rules translate to XPath", arguments: [
        ("div.article-body", "//div[contains(concat(' ',normalize-space(@class),' '),' article-body ')]"),
        ("#content > p", "//*[@id='content']/p"),
        ("article, .story", "//article | //*[contains(concat(' ',normalize-space(@class),' '),' story ')]"),
        ("a[rel=author]", "//a[@rel='author']"),
    ])
    func cssTranslation(css: String, xpath: String) {
        #expect(RuleSelector(css).xpath == xpath)
        #expect(RuleSelector("//div[@id='x']").xpath == "//div[@id='x']")
    }
}
