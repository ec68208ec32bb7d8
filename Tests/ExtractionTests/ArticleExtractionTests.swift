import Foundation
import Testing
import TidingsCore
@testable import Extraction

@Suite("Extracting articles from real-shaped pages")
struct ArticleExtractionTests {
    @Test("the seed page gives its title, date, author, source and all body paragraphs")
    func seedPage() throws {
        let article = try Fixture.article("seed-gbk.html", url: "http://www.chinareports.org.cn/tech/2023/0617/1.html")
        #expect(article.title == "长三角合力构建科技创新共同体")
        #expect(article.author == "徐慧媛")
        #expect(article.published?.rfc3339 == "2023-06-17T02:27:18+08:00")
        #expect(article.outlet == "中安在线、中安新闻客户端")
        #expect(article.keywords == ["长三角", "科技创新", "共同体", "联合攻关"])
        #expect(article.language == "zh-CN")
        #expect(article.text.hasPrefix("长三角是全国创新能力最强的区域之一。"))
        #expect(article.text.contains("制度协同取得新跨越"))
        #expect(article.text.hasSuffix("长三角一体化高质量发展的蓝图正逐步演变成生动的现实图景。"))
        for boilerplate in ["生活指南", "民生", "分享到", "版权所有", "当前位置", "时间:2023", "标签"] {
            #expect(!article.text.contains(boilerplate), "kept \(boilerplate)")
        }
        #expect(article.html.contains("<img src=\"http://www.chinareports.org.cn/uploads/2023/0617/2023061702271801.jpg\""))
    }

    @Test("a modern English page keeps the story and drops nav, share bar, related list, comments and hidden text")
    func englishNewsPage() throws {
        let article = try Fixture.article("news-en.html", url: "https://news.example.com/2023/06/17/riverside-park?utm=x")
        #expect(article.title == "City council approves new riverside park plan")
        #expect(article.author == "Jane Doe")
        #expect(article.published?.rfc3339 == "2023-06-17T09:30:00-04:00")
        #expect(article.outlet == "The Daily Example")
        #expect(article.language == "en")
        #expect(article.canonicalHint?.absoluteString == "https://news.example.com/2023/06/17/riverside-park")
        #expect(article.leadImage?.absoluteString == "https://news.example.com/images/park-lead.jpg")
        #expect(article.text.hasPrefix("The city council voted 7-2 on Tuesday"))
        #expect(article.text.contains("What happens next"))
        #expect(article.text.contains("We are choosing the river over the roads"))
        #expect(article.text.contains("most of it covered by a state grant"))
        for boilerplate in ["Most read", "Bridge repairs", "Great news for the neighbourhood", "Subscribe now", "Copyright",
                            "Tweet", "Weather", "The planned park covers"] {
            #expect(!article.text.contains(boilerplate), "kept \(boilerplate)")
        }
        #expect(article.summary.hasPrefix("The council voted 7-2"))
    }

    @Test("kept HTML is sanitized: allowlisted tags, no scripts or handlers, absolute http(s) URLs, lazy images resolved")
    func sanitizedHTML() throws {
        let html = try Fixture.article("news-en.html", url: "https://news.example.com/2023/06/17/riverside-park").html
        #expect(html.contains("<img src=\"https://news.example.com/images/park-map.jpg\" alt=\"Map of the planned park\">"))
        #expect(html.contains("<figcaption>The planned park covers twelve acres.</figcaption>"))
        #expect(html.contains("<a href=\"https://news.example.com/local/river-walk\">river walk</a>"))
        #expect(html.contains("<h2>What happens next</h2>"))
        #expect(html.contains("<blockquote><p>"))
        for forbidden in ["<script", "<style", "<iframe", "onclick", "onload", "style=", "class=", "javascript:", "data:image", "<h1"] {
            #expect(!html.contains(forbidden), "kept \(forbidden)")
        }
    }

    @Test("an old table-and-<br> portal page declared gb2312 keeps 镕, the paragraphs and the info line's metadata")
    func tableLayoutPortal() throws {
        let article = try Fixture.article("portal-gb2312.html", url: "http://news.example.cn/2005-03/21/content_1.htm")
        #expect(article.title == "朱镕基会见外国专家代表")
        #expect(article.author == "王明")
        #expect(article.outlet == "新华网")
        #expect(article.published?.rfc3339 == "2005-03-21T10:27:00+08:00")
        #expect(article.text.contains("国务院总理朱镕基20日在人民大会堂会见了"))
        #expect(article.text.contains("并祝愿中国人民生活更加美好。"))
        #expect(article.text.contains("亲切交谈。\n\n朱镕基说"), "<br><br> separates paragraphs")
        #expect(!article.html.contains("责任编辑"))
        for boilerplate in ["相关新闻", "热点推荐", "股市行情", "责任编辑", "李华", "版权所有", "首页"] {
            #expect(!article.text.contains(boilerplate), "kept \(boilerplate)")
        }
    }

    @Test("a configured time zone applies to dates printed without an offset")
    func configuredTimeZone() throws {
        let configuration = ExtractorConfiguration(timeZone: TimeZone(identifier: "Asia/Tokyo"))
        let article = try Fixture.article("portal-gb2312.html", url: "http://news.example.cn/a.htm", configuration: configuration)
        #expect(article.published?.rfc3339 == "2005-03-21T10:27:00+09:00")
    }

    @Test("a listing page is refused with a reason")
    func listingPage() throws {
        let page = try Fixture.page("listing-zh.html", url: "http://news.example.cn/list/")
        let result = Extractor().extract(page)
        guard case .failure(let failure) = result else {
            Issue.record("a listing page was taken for an article")
            return
        }
        #expect(failure.reason == .listingPage)
        #expect(failure.description.contains("http://news.example.cn/list/"))
    }

    @Test("rules override the heuristics: content, remove, title, author and date selectors (CSS and XPath)")
    func rules() throws {
        let rules = ExtractRules(content: "div.article-body", title: "//h1", date: ".byline", author: "div.byline",
                                 remove: ["blockquote", "//figure"])
        let article = try Fixture.article("news-en.html", url: "https://news.example.com/p",
                                          configuration: ExtractorConfiguration(rules: rules))
        #expect(article.title == "City council approves new riverside park plan")
        #expect(article.author == "Jane Doe")
        #expect(article.published?.rfc3339.hasPrefix("2023-06-17") == true)
        #expect(!article.text.contains("We are choosing the river"))
        #expect(!article.html.contains("<img"))
        #expect(article.text.contains("most of it covered by a state grant"))
    }
}
