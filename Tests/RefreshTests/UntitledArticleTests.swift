import Discovery
import Foundation
import Testing
import TidingsCore
@testable import Refresh

@Suite("Articles without a title")
struct UntitledArticleTests {
    @Test("a title is made from the first sentence or line of the text, cut at 80 characters", arguments: [
        ("\n  青溪市老城区雨污分流改造工程全面完工。历时两年半。", "青溪市老城区雨污分流改造工程全面完工。"),
        ("The ferry runs again. Timetables are posted.", "The ferry runs again."),
        ("Headline without a stop\nSecond line.", "Headline without a stop"),
        (String(repeating: "word ", count: 40), String(repeating: "word ", count: 16).trimmingCharacters(in: .whitespaces) + "…"),
        ("", ""), ("\n \n", ""),
    ])
    func titleFromText(text: String, expected: String) {
        let title = ArticleFetcher.title(fromText: text)
        #expect(title == expected)
        #expect(title.count <= ArticleFetcher.titleFromTextLength)
    }

    @Test("the page's title comes first, then the link's, then the text's")
    func titleOrder() {
        let url = URL(string: "https://news.example.com/2025/11/28/story.html")!
        let text = "Harbour bridge reopens. Traffic flows again."
        func completed(page: String, link: String) -> String {
            ArticleFetcher.completed(Article(url: url, title: page, html: "<p>\(text)</p>", text: text),
                                     from: DiscoveredLink(url: url, title: link, via: .sitemap)).title
        }
        #expect(completed(page: "From the page", link: "From the link") == "From the page")
        #expect(completed(page: "", link: "From the link") == "From the link")
        #expect(completed(page: "", link: "") == "Harbour bridge reopens.")
    }
}
