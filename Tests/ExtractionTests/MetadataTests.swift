import Foundation
import Testing
@testable import Extraction
import TidingsCore

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
        ("作者： 赵婕 出自 《人民日报》", "赵婕"),
        ("交汇点记者 徐睿翔", "徐睿翔"),
        ("本贴由 大卫 于2005年8月12日 10:20 发表", "大卫"),
        ("记者 张华 李明 通讯员 王强", "张华 李明 王强"),
        ("本报记者 闵乐夫 赵兰波 刘韬 刘晋芳 胡玉顺 周宁", "闵乐夫 赵兰波 刘韬 刘晋芳 胡玉顺 周宁"),
        ("记者 陈明 摄", "陈明"),
        ("文：眉间尺", "眉间尺"),
        ("〓 网易娱乐 周黎明留言板 发布时间 2005/05/17 22:11:42 by 眉间尺 〓", "眉间尺"),
        ("〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓", "duscha"),
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "ggjjzhzz"),
        ("文丨政能亮特约评论员 韩涵", "韩涵"),
        ("文｜首席记者 陈静", "陈静"),
    ])
    func bylines(line: String, author: String) {
        #expect(BylineParser.author(in: line) == author)
    }

    @Test("running text and editor credits give no author", arguments: [
        "孙启勤告诉记者，他仍然在坚持购买彩票。", "（责任编辑：魏喆）", "责任编辑：李华", "本刊记者经历了近4个小时的车程",
        "作者单位：南京大学历史学院", "作者简介：南京大学教授", "作者认为这一说法并不准确", "他对记者说",
        "全文：略", "Posted on March 3, 2020 by Jane Doe", "这篇文章 发表于 学报",
    ])
    func notBylines(line: String) {
        #expect(BylineParser.author(in: line) == nil)
    }

    @Test("agency datelines name their reporters in brackets; a 【】 heading line and outlets name nobody")
    func datelinesHeadingsOutlets() {
        #expect(BylineParser.datelineNames(in: "新华社北京5月19日电（刘艺、杨吉）国家统计局19日发布数据显示") == "刘艺 杨吉")
        #expect(BylineParser.datelineNames(in: "中新网上海3月2日电(陈静 李明)上海市今天发布") == "陈静 李明")
        #expect(BylineParser.datelineNames(in: "他说这是一次来电（张三）以后的事情，很久以前的一个电话打来的时候") == nil)
        #expect(BylineParser.bracketedName(in: "【写在最后】", wholeLine: true) == nil)
        #expect(BylineParser.bracketedName(in: "（袁源）", wholeLine: true) == "袁源")
        for outlet in ["新华社", "每日经济新闻", "新浪财经", "中新社"] { #expect(BylineParser.isOrganisation(outlet)) }
        #expect(!BylineParser.isOrganisation("王帆"))
        #expect(BylineParser.withoutFollowWord("管不饿关注") == "管不饿")
        #expect(BylineParser.withoutFollowWord("好看的hk 粉丝") == "好看的hk")
        #expect(BylineParser.isSloganOrHeading("成就一亿技术人!"))
        #expect(BylineParser.isLabelOnly("Published by"))
    }

    static func portalPage(head: String, body: String) -> String {
        let paragraph = String(repeating: "国务院常务会议部署加快稳经济一揽子政策措施落地生效，各地各部门要抓紧落实。", count: 6)
        return """
            <html lang="zh-CN"><head><meta charset="utf-8"><title>稳经济需要跑出加速度</title>\(head)</head><body>
            <h1>稳经济需要跑出加速度</h1><div class="info">2022-06-02 09:52:19 来源：中国新闻网</div>
            <div class="article-content">\(body)<p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></div>
            <p class="editor">编辑：倪仕轩 责任编辑：杨格</p></body></html>
            """
    }

    @Test("on a Chinese portal the declared author that the editor credit names, an outlet account and an ad's author yield to the byline")
    func portalDeclaredAuthors() throws {
        let url = URL(string: "https://news.example.cn/2022/06/02/a.html")!
        func author(head: String = "", body: String) throws -> String? {
            try Extractor().extract(html: Self.portalPage(head: head, body: body), url: url).get().author
        }
        let byline = "<p><strong>文丨特约评论员 韩涵</strong></p>"
        #expect(try author(head: "<meta name=\"author\" content=\"倪仕轩\">", body: byline) == "韩涵")
        #expect(try author(head: "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":{\"@type\":\"Person\",\"name\":\"新华社\"}}</script>",
                           body: "<p>新华社北京6月2日电（邹多为、丁乐）</p>") == "邹多为 丁乐")
        #expect(try author(body: "<div class=\"ad-card\"><span class=\"ad-author\">高爆打金传奇</span><span>广告</span></div>") == "杨格")
        // with no byline at all the editor still answers for the page
        #expect(try author(head: "<meta name=\"author\" content=\"倪仕轩\">", body: "") == "杨格")
    }

    @Test("English credits lose the By and the job title; lists of people stay lists")
    func englishCredits() {
        #expect(BylineParser.declaredName("By Jane Doe") == "Jane Doe")
        #expect(BylineParser.declaredName("Jane Doe, Senior Reporter") == "Jane Doe")
        #expect(BylineParser.declaredName("Jane Doe, John Roe") == "Jane Doe, John Roe")
        #expect(BylineParser.declaredName("Staff Writer") == "Staff Writer")
        #expect(BylineParser.declaredName("Written by: Sean Poe, Senior Analyst") == "Sean Poe")
        #expect(BylineParser.declaredName("Ann Roe MBE Managing Director, Roe Internet") == "Ann Roe MBE")
        #expect(BylineParser.declaredName("Tom Hale – Tom Hale") == "Tom Hale")
        #expect(BylineParser.declaredName("Keith Poe Senior Autos Reporter") == "Keith Poe")
        for group in ["Podium Staff", "Our Editors", "The Currency editors", "Community Editor"] {
            #expect(BylineParser.declaredName(group) == group)
        }
        #expect(BylineParser.declaredName("CDU - Fraktion Erfurt") == "CDU - Fraktion Erfurt")
        #expect(BylineParser.englishByline("By Jane Doe, Staff Writer | Reuters") == "Jane Doe")
        #expect(BylineParser.englishByline("By Jane Doe and John Roe") == "Jane Doe, John Roe")
    }

    @Test("a name alone on a line is a byline only when it looks like a personal name")
    func standaloneNames() {
        #expect(BylineParser.standaloneName("胡平") == "胡平")
        #expect(BylineParser.standaloneName(" 王建宏 ") == "王建宏")
        #expect(BylineParser.standaloneName("前言") == nil)
        #expect(BylineParser.standaloneName("王府井大街") == nil)
        #expect(BylineParser.standaloneName("来源") == nil)
    }

    @Test("a headline that is a bare name (金锺国) is the title, not the author; a name line under a longer headline still is")
    func nameHeadlineIsNoAuthor() throws {
        let url = "https://people.example.cn/wiki/jin.html"
        let article = try Fixture.article("zh-name-headline.html", url: url)
        #expect(article.title == "金锺国")
        #expect(article.author == nil)
        let html = try String(decoding: Fixture.data("zh-name-headline.html"), as: UTF8.self)
            .replacingOccurrences(of: "<h1>金锺国</h1>", with: "<h1>全省前三季度经济运行总体平稳 稳中有进</h1>\n<p>王建宏</p>")
            .replacingOccurrences(of: "<title>金锺国 - 人物百科</title>", with: "<title>全省前三季度经济运行总体平稳 稳中有进 - 新华日报</title>")
        let page = Page(requestedURL: URL(string: url)!, url: URL(string: url)!, text: html)
        let credited = try Extractor(configuration: .init()).extract(page).get()
        #expect(credited.author == "王建宏")
    }

    @Test("a page with no author tag credits the author in its Twitter card's Written by pair; other pairs are no author")
    func twitterCardAuthor() throws {
        let article = try Fixture.article("yoast-card-author.html", url: "https://pm.example.com/blog/project-management-software-cost/")
        #expect(article.author == "Priya Raman")
        let html = try String(decoding: Fixture.data("yoast-card-author.html"), as: UTF8.self)
            .replacingOccurrences(of: "content=\"Written by\"", with: "content=\"Filed under\"")
        let url = URL(string: "https://pm.example.com/blog/project-management-software-cost/")!
        let page = Page(requestedURL: url, url: url, text: html)
        let unlabelled = try Extractor(configuration: .init()).extract(page).get()
        #expect(unlabelled.author == nil)
    }

    @Test("a bracketed name closes an article; a bracketed outlet after 来源 is not an author")
    func bracketedNames() {
        #expect(BylineParser.bracketedName(in: "（袁源）", wholeLine: true) == "袁源")
        #expect(BylineParser.bracketedName(in: "（常书香 马丹阳 ）", wholeLine: true) == "常书香 马丹阳")
        #expect(BylineParser.bracketedName(in: "没有道理。”（姚峰 上海报道）", wholeLine: false) == "姚峰")
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

@Suite("Site names that cover the whole title (issue #11)")
struct SiteNameCoversTitleTests {
    @Test("a site name equal to or covering every part of the <title> leaves the title instead of trapping")
    func strippingEverything() {
        #expect(TitleCleaner.stripSiteName("Alpha Beta | Gamma Delta", siteName: "Alpha Beta | Gamma Delta") == "Alpha Beta | Gamma Delta")
        #expect(TitleCleaner.stripSiteName("Alpha Beta | Gamma Delta", siteName: "Alpha Beta | Gamma Delta | Epsilon") == "Alpha Beta | Gamma Delta")
        #expect(TitleCleaner.stripSiteName("Alpha - Beta", siteName: "Alpha Beta") == "Alpha - Beta")
    }

    @Test("a page whose og:site_name is its <title> extracts, and its <h1> is the title")
    func pageWithSiteNameTitle() throws {
        let article = try Fixture.article("site-name-covers-title.html", url: "https://alpha.example/holiday-hours")
        #expect(article.title == "Opening hours over the holidays")
        #expect(article.text.contains("The book drop by the side entrance stays open throughout"))
    }
}

@Suite("A headline the declared titles reword (issue #13)")
struct RewordedHeadlineTests {
    @Test("the page's <h1> wins over og:title, <title> and JSON-LD that reword it for search engines")
    func seoTitle() throws {
        let article = try Fixture.article("seo-reworded-title.html", url: "https://crumb.example/2026/01/sourdough-starter/")
        #expect(article.title == "How to Keep a Sourdough Starter Alive: A Baker\u{2019}s Guide")
        #expect(!article.text.contains("How to Keep a Sourdough Starter Alive"))
    }

    @Test("a heading sharing no words with the declared title, a one-word heading, or a kicker before the declared title leaves the declared title")
    func declaredTitleStays() {
        #expect(TitleCleaner.title(candidates: ["Lentil soup with smoked paprika | Kitchen Notes"],
                                   headings: ["Cooking for the whole street"], siteName: nil) == "Lentil soup with smoked paprika")
        #expect(TitleCleaner.title(candidates: ["Council approves the new tram line - City Paper"],
                                   headings: ["Opinion"], siteName: nil) == "Council approves the new tram line")
        #expect(TitleCleaner.title(candidates: ["Bridge closed after storm damage | Valley News"],
                                   headings: ["Repairs until spring Bridge closed after storm damage"], siteName: nil)
                == "Bridge closed after storm damage")
    }

    @Test("titles are compared word by word, one word per CJK character, case folded")
    func words() {
        #expect(TitleWords.words("Top 10 Trends, 2026!") == ["top", "10", "trends", "2026"])
        #expect(TitleWords.words("金锺国 Kim") == ["金", "锺", "国", "kim"])
        #expect(TitleWords.agreement("Health and Nutrition Trends to Watch", "Health And Nutrition Trends For 2026") > 0.5)
        #expect(TitleWords.agreement("Cooking for the whole street", "Lentil soup with smoked paprika") == 0)
        #expect(TitleWords.agreement("", "Anything") == 0)
    }
}

@Suite("The page's language")
struct LanguageTests {
    @Test("<html lang=\"zh-Hans-CN\"> stays Chinese on a page that quotes a Korean paragraph, with the Chinese time zone")
    func declaredChineseWithKoreanQuote() throws {
        let article = try Fixture.article("zh-page-quoting-korean.html", url: "https://culture.example.cn/2024/0512/a1.html")
        #expect(article.language == "zh-Hans-CN")
        #expect(article.published?.rfc3339 == "2024-05-12T09:30:00+08:00")
    }
}

@Suite("A headline inside a title the separators cannot split (issue #13)")
struct ShownTitlePartTests {
    @Test("the part of `Outlet : Section : Headline` that the page shows as its own text is the title; outlet and section shown only in links, logos and the footer are not")
    func portalColonTitle() throws {
        let article = try Fixture.article("portal-colon-title.html", url: "https://ledger.example/business/2008/01/15/port.html")
        #expect(article.title == "Port workers vote to accept the new pay offer")
        #expect(article.text.contains("Dock workers at the city's container port voted"))
    }

    @Test("a page that shows the whole `Kicker: Headline` as one heading keeps the whole title, though it also shows the headline alone")
    func kickerTitleShownWhole() throws {
        let article = try Fixture.article("kicker-colon-title.html", url: "https://kuestenbote.example/hafen/faehrlinie")
        #expect(article.title == "Hafen: Neue Fährlinie startet im Frühjahr")
    }

    @Test("parts are looked for only in the page's own text: a title whose parts appear only in navigation stays whole")
    func partsOnlyInNavigation() throws {
        let html = """
        <html><head><title>Weather Desk: Storm warning for the coast tonight</title></head><body>
        <nav><a href="/weather">Weather Desk</a> <a href="/storm">Storm warning for the coast tonight</a></nav>
        <div class="story"><p>\(String(repeating: "Forecasters expect gusts of up to 110 km/h along the coast after dark. ", count: 8))</p></div>
        </body></html>
        """
        let url = URL(string: "https://desk.example/storm")!
        let page = Page(requestedURL: url, url: url, text: html, charset: "utf-8", charsetReason: "test")
        let article = try Extractor().extract(page).get()
        #expect(article.title == "Weather Desk: Storm warning for the coast tonight")
    }
}

@Suite("A short headline that the declared title opens with (issue #13)")
struct FirstPartHeadlineTests {
    @Test("an <h1> equal to the first part of the declared title is the title, however short beside the site name", arguments: [
        ("Portage - Gentoo wiki", "Portage"),
        ("Madonna spends NY in India - ABC News (Australian Broadcasting Corporation)", "Madonna spends NY in India"),
        ("Climate Change | Economic Research Service", "Climate Change"),
    ])
    func firstPart(title: String, heading: String) {
        #expect(TitleCleaner.title(candidates: [title], headings: [heading], siteName: nil) == heading)
    }

    @Test("a masthead <h1> that is a link to the blog's home is no headline, though the <title> opens with it")
    func linkedMasthead() throws {
        let html = """
        <html><head><title>Time Notes » Blog Archive » Cinemas switch to digital projection</title></head><body>
        <div id="header"><h1><a href="/">Time Notes</a></h1></div>
        <div class="post"><h2>Cinemas switch to digital projection</h2>
        <p>\(String(repeating: "Another forty screens in the country will show films from hard disks by the summer. ", count: 8))</p></div>
        </body></html>
        """
        let url = URL(string: "https://timenotes.example/2011/03/cinemas/")!
        let article = try Extractor().extract(Page(requestedURL: url, url: url, text: html)).get()
        #expect(article.title != "Time Notes")
        #expect(article.title.hasSuffix("Cinemas switch to digital projection"))
    }

    static let referenceText = String(repeating: "Creates a charge object and returns it, or an error when the card is declined. ", count: 8)

    @Test("an <h1> that links to the page itself (docs, permalinks, #anchors) is its headline, not a masthead")
    func selfLinkedHeading() throws {
        for href in ["/api/charges", "https://docs.example.com/api/charges/", "#charges"] {
            let html = """
            <html><head><title>Charges | Example API Reference</title></head><body>
            <main><h1><span><a href="\(href)">Charges</a></span></h1><p>\(Self.referenceText)</p></main></body></html>
            """
            let url = URL(string: "https://docs.example.com/api/charges")!
            let article = try Extractor().extract(Page(requestedURL: url, url: url, text: html)).get()
            #expect(article.title == "Charges", "\(href)")
        }
    }

    @Test("an <h1> for screen readers only (visually-hidden, sr-only) still names the page")
    func screenReaderHeading() throws {
        let html = """
        <html><head><title>Smart Thermostats | Example Energy Efficiency Programs</title></head><body>
        <main><div class="visually-hidden block"><div class="content"><h1 class="title">Smart Thermostats</h1></div></div>
        <p>\(Self.referenceText)</p></main></body></html>
        """
        let url = URL(string: "https://energy.example.com/smart-thermostats")!
        let article = try Extractor().extract(Page(requestedURL: url, url: url, text: html)).get()
        #expect(article.title == "Smart Thermostats")
    }
}

@Suite("A <title> that spells the host name is the site's name (issue #13)")
struct HostSiteNameTests {
    @Test("a title part spelling the host (case, spaces and a leading The aside) is found; a headline is not", arguments: [
        ("Cape Argus", "www.capeargus.example", "Cape Argus" as String?),
        ("The Calgary Sun", "calgarysun.example", "The Calgary Sun"),
        ("Rust Ownership, Borrowing, and Lifetimes - Integralist", "www.integralist.example", "Integralist"),
        ("Red-hot frontrunners", "calgarysun.example", nil),
        ("Sun", "sun.example", nil),
    ])
    func hostName(title: String, host: String, expected: String?) {
        #expect(TitleCleaner.hostSiteName(in: [title], host: host) == expected)
    }

    @Test("a page whose <title> is only the outlet's name, declared nowhere else, takes its <h1> as the title")
    func outletOnlyTitle() throws {
        let html = """
        <html><head><title>Cape Argus</title></head><body>
        <h1>Ronaldo could earn greater fortune at Real</h1>
        <div class="story"><p>\(String(repeating: "The winger's advisers met the Spanish club twice this week, according to people close to the talks. ", count: 8))</p></div>
        </body></html>
        """
        let url = URL(string: "https://www.capeargus.example/sport/ronaldo")!
        let article = try Extractor().extract(Page(requestedURL: url, url: url, text: html)).get()
        #expect(article.title == "Ronaldo could earn greater fortune at Real")
    }

    @Test("an og:site_name that copies the headline yields to the title part spelling the host")
    func headlineInSiteName() throws {
        let html = """
        <html><head><title>Citizens invest in the Steinheim wind farm | Energiewerk</title>
        <meta property="og:title" content="Citizens invest in the Steinheim wind farm | Energiewerk">
        <meta property="og:site_name" content="Citizens invest in the Steinheim wind farm"></head><body>
        <h1>Green savings: citizens take a stake in the Steinheim wind farm</h1>
        <div class="story"><p>\(String(repeating: "Residents of the district can buy shares in the six turbines from next month, the utility said. ", count: 8))</p></div>
        </body></html>
        """
        let url = URL(string: "https://www.energiewerk.example/press/steinheim")!
        let article = try Extractor().extract(Page(requestedURL: url, url: url, text: html)).get()
        #expect(article.title != "Energiewerk")
        #expect(article.title.contains("Steinheim wind farm"))
    }
}
