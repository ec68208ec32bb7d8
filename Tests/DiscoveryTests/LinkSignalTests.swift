import Foundation
import Testing
import TidingsCore
@testable import Discovery

@Suite("The signals that tell article links from the rest")
struct LinkSignalTests {
    @Test("article URL shapes", arguments: [
        ("http://www.lingshan.gov.cn/xwzx/zwdt/202511/t20251128_4512876.html", ArticleURLShape.article),
        ("https://news.example.com.cn/c/2025-11-28/doc-inahqwre4812345.shtml", .article),
        ("http://paper.example.com.cn/html/2025-11/28/content_30123456.htm", .article),
        ("https://www.example.com/world/2025/nov/28/eu-ministers-agree-plan", .article),
        ("https://www.example.co.uk/news/uk-england-devon-68123456", .article),
        ("https://blog.example.net/archives/1523", .article),
        ("http://www.example.com/news/article.php?id=5821&cat=1", .article),
        ("https://m.example.cn/rain/a/20251128A07XYZ00", .article),
        ("https://www.example.com/culture/how-city-libraries-became-the-new-town-square", .article),
        ("https://www.example.com/?p=1234", .article),
        ("https://www.example.com/tag/swift/", .notArticle),
        ("https://www.example.com/category/birds/", .notArticle),
        ("http://www.example.com/xwzx/zwdt/index_2.html", .notArticle),
        ("https://www.example.com/world?page=2", .notArticle),
        ("https://www.example.com/local/", .notArticle),
        ("https://www.example.com/images/2025/1128/photo.jpg", .notArticle),
        ("https://www.example.com/login", .notArticle),
        ("http://cn.rd.example.com/home/ent/link/*http://other.example.com/a/2025/1128/123456.html", .notArticle),
        ("https://www.example.com/out?url=https%3A%2F%2Fshop.example.net%2F2025%2F11%2Fsale", .notArticle),
        ("https://www.example.com/news/view", .neutral),
    ])
    func shapes(url: String, shape: ArticleURLShape) {
        #expect(ArticleURLShape.classify(URL(string: url)!) == shape)
    }

    @Test("headline length: 8+ CJK characters or 4+ words", arguments: [
        ("青溪市老城区雨污分流改造工程全面完工", true),
        ("农民工和他的日记", true),
        ("本地新闻", false),
        ("更多>>", false),
        ("Matomo 5.0 Beta 发布", false),
        ("Ferry Timetable Changes for the Winter Season", true),
        ("Sign in", false),
        ("Older posts", false),
        ("", false),
    ])
    func headlines(text: String, isHeadline: Bool) {
        #expect(HeadlineText.looksLikeHeadline(text) == isHeadline)
    }

    @Test("link titles lose control characters and runs of (full-width) spaces")
    func normalize() {
        #expect(HeadlineText.normalize("  青溪\u{3000}\u{3000}新闻\u{0008}网 \n Tidings\u{00A0}") == "青溪 新闻网 Tidings")
    }
}
