import Foundation
import Testing
import TidingsCore
@testable import Extraction

/// The body choice on page shapes where rules fitted to a few sites used to fail (issue #13):
/// long neighbours, articles split into sibling blocks, hidden-until-scripted text, and class
/// names whose words only look like furniture.
@Suite("Choosing the article body")
struct ContentChoiceTests {
    @Test("a 63-comment thread does not win over the 500-character post it comments on")
    func shortPostBeforeLongThread() throws {
        let article = try Fixture.article("post-with-long-comment-thread.html", url: "https://riverside.example/2024/10/mill-street/")
        #expect(article.text.contains("agreed to keep the branch on Mill Street open"))
        #expect(article.text.contains("when the city council sets next year's figures"))
        #expect(!article.text.contains("I grew up walking to that branch"))
        #expect(!article.text.contains("says:"))
    }

    @Test("a live ticker in <aside id=\"sidebar\"> does not win over a short story, and `hidden md:block` text stays")
    func shortStoryBesideTicker() throws {
        let article = try Fixture.article("article-beside-live-ticker.html", url: "https://courier.example/local/elm-bridge")
        #expect(article.text.contains("Engineers found corrosion in two of the steel beams"))
        #expect(article.text.contains("The contractor expects to finish"))
        #expect(article.text.contains("A map of the detour is printed on page four"))
        #expect(!article.text.contains("Update 1:"))
    }

    @Test("a post split into sections, a step list and a data table keeps every part; ad slots and the sidebar stay out")
    func splitPost() throws {
        let article = try Fixture.article("long-post-in-sections.html", url: "https://crumb.example/first-sourdough/")
        #expect(article.text.contains("Sourdough needs three things"))
        #expect(article.text.contains("Hydration is the share of water"))
        #expect(article.text.contains("Let the bread cool for at least an hour"))
        #expect(article.text.contains("Fold the dough every half hour"))
        #expect(article.text.contains("Bake in a preheated pot"))
        #expect(article.html.contains("<td>375 g</td>"))
        #expect(!article.text.contains("Advertisement"))
        #expect(!article.text.contains("Recent posts"))
    }

    @Test("a service page whose footer call to action wins keeps its content from the <h1> down; nav and footer stay out")
    func servicePageJoinedToHeading() throws {
        let page = try Fixture.page("service-page-footer-call-to-action.html", url: "https://saguaro.example/commercial/")
        let explanation = Extractor().explain(page)
        #expect(explanation.reason.contains("<h1>"))
        let article = try Extractor().extract(page).get()
        #expect(article.text.contains("Pest control built around your business"))
        #expect(article.text.contains("Rodent exclusion"))
        #expect(article.text.contains("Industries we serve"))
        #expect(article.text.contains("licensed by the Arizona Office of Pest Management"))
        #expect(!article.text.contains("Bed Bug Treatment"))
        #expect(!article.text.contains("Privacy Policy"))
    }

    @Test("a short block before the page's role=main (a government site's official-website banner) gives way to the main content")
    func bannerOutsideMainLandmark() throws {
        let page = try Fixture.page("gov-banner-before-main.html", url: "https://www.nps.gov/yose/learn/photosmultimedia/webcams.htm")
        #expect(Extractor().explain(page).reason.contains("<main> apart from"))
        let article = try Extractor().extract(page).get()
        #expect(article.text.contains("Yosemite Falls, a combination of Upper Yosemite Fall"))
        #expect(article.text.contains("Badger Pass"))
        #expect(!article.text.contains("Official websites use .gov"))
        #expect(!article.text.contains("Privacy"))
    }

    @Test("a Next.js page that streams its article into <div hidden id=\"S:0\"> is an article")
    func streamedBoundary() throws {
        let article = try Fixture.article("nextjs-streamed-article.html", url: "https://northwind.example/blog/build-times")
        #expect(article.text.contains("Our monorepo had grown to four hundred packages"))
        #expect(article.text.contains("sharing the cache between branches"))
    }

    @Test("an article libxml2 nests into a hidden mobile menu (an unclosed <div> in its toggle <button>) is read as shown")
    func articleSwallowedByHiddenMenu() throws {
        let article = try Fixture.article("article-swallowed-by-hidden-menu.html", url: "https://courier.example.com/news/county-budget")
        #expect(article.text.contains("approved next year's budget late on Tuesday"))
        #expect(article.text.contains("revised revenue forecast"))
        #expect(!article.text.contains("Opinion"))
    }

    @Test("an article column inside a wrapper named for both parts (inline-and-sidebar-container) is the article")
    func articleInsideJoinedWrapper() throws {
        let article = try Fixture.article("article-in-inline-and-sidebar-wrapper.html", url: "https://heart.example.org/menus")
        #expect(article.text.hasPrefix("If you are trying to keep food costs down"))
        #expect(article.text.contains("it freezes well if the family does not finish it in time"))
        #expect(!article.text.contains("cardiac nurses"))
        #expect(!article.text.contains("Healthy swaps"))
    }

    /// Shaped like a blog whose article column and sidebar share one `div.sidebar-container`.
    @Test("a furniture box (sidebar-container) around a content-named column holding most of its text wraps the article")
    func articleInsideSidebarContainer() throws {
        let paragraphs = (1...5).map { k in
            "<p>Paragraph \(k) of the review: we built the same small application with each command-line tool, timed every step, and noted where it needed help, which errors it made and how readable its code was afterwards.</p>"
        }.joined()
        let cards = (1...4).map { k in
            "<div class=\"post-card\"><h3><a href=\"/post-\(k)\">Another post \(k)</a></h3><div class=\"post-card-subtitle\"><p>Learn modern practices for typing children in TypeScript, including the component props helpers and why the old approach is no longer recommended (\(k)).</p></div></div>"
        }.joined()
        let html = """
        <html><head><title>I tested five AI command-line tools</title></head><body>
        <header id="post-header"><h1>I tested five AI command-line tools</h1><p>By A. Writer</p></header>
        <div class="content-max-width"><div class="sidebar-container">
        <div id="the-content-container"><div class="lr-content">\(paragraphs)</div></div>
        <div class="sidebar"><h3>Recent posts</h3><ul><li><a href="/a">How to type React children</a></li><li><a href="/b">Internationalize Next.js</a></li></ul></div>
        </div></div>
        <div id="recent-posts">\(cards)</div></body></html>
        """
        let article = try Extractor().extract(html: html, url: URL(string: "https://blog.example.com/tested-5-ai-cli-tools")!).get()
        #expect(article.text.contains("Paragraph 1 of the review"))
        #expect(article.text.contains("Paragraph 5 of the review"))
        #expect(!article.text.contains("Internationalize Next.js"))
    }

    @Test("the collapsed panels of an accordion (role=region named by its header) are part of the article")
    func accordionPanels() throws {
        let steps = [("Week 1", "Your installer visits the house, measures the roof and checks the state of the shingles before drawing the plan."),
                     ("Weeks 2-4", "The permit applications go to the town and the utility; most towns answer within three weeks, some take longer."),
                     ("Weeks 5-6", "The crew mounts the racking, lays the panels and wires the inverter in one or two days, weather permitting.")]
        let panels = steps.enumerated().map { k, step in
            "<h3><button id=\"step-\(k)-header\" aria-controls=\"step-\(k)-content\" aria-expanded=\"false\">\(step.0)</button></h3>"
                + "<div id=\"step-\(k)-content\" role=\"region\" aria-labelledby=\"step-\(k)-header\" style=\"display:none;\"><p>\(step.1) \(step.1)</p></div>"
        }.joined()
        let html = """
            <html><head><meta charset="utf-8"><title>How solar panels get installed</title></head><body>
            <nav><a href="/">Home</a> <a href="/solar">Solar</a></nav>
            <article><h1>How solar panels get installed</h1>
            <p>Installing solar panels takes about three months from the first visit to the day the system is switched on, and most of that time goes to paperwork rather than to the roof.</p>
            \(panels)
            <p>Once the utility has inspected the system, it swaps the meter and the panels start to feed the grid.</p></article>
            <div class="menu" style="display:none"><a href="/login">Sign in</a> <a href="/account">Your account settings and saved quotes</a></div>
            </body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://solar.example.com/guides/installation")!).get()
        #expect(article.text.contains("The permit applications go to the town"))
        #expect(article.text.contains("The crew mounts the racking"))
        #expect(!article.text.contains("saved quotes"))
    }

    @Test("a page hidden behind a preloader class until a script shows it is read as shown")
    func preloaderHiddenPage() throws {
        let article = try Fixture.article("preloader-hidden-article.html", url: "https://cedar.example/blog/unnest")
        #expect(article.text.contains("UNNEST turns each element into a row of its own"))
        #expect(article.text.contains("lateral join"))
        #expect(article.title == "Unnest, explained")
    }

    @Test("--explain lists both scorers' candidates, marks the chosen block and says why")
    func explanation() throws {
        let page = try Fixture.page("long-post-in-sections.html", url: "https://crumb.example/first-sourdough/")
        let explanation = Extractor().explain(page)
        #expect(explanation.candidates.contains { $0.scorer == "paragraphs" })
        #expect(explanation.candidates.contains { $0.scorer == "density" })
        #expect(!explanation.chosen.isEmpty)
        #expect(!explanation.reason.isEmpty)
        let article = try explanation.result.get()
        #expect(article.text == (try Extractor().extract(page).get()).text)
    }
}

@Suite("Class and id names are matched as whole tokens")
struct ClassVocabularyTests {
    @Test("values split at punctuation, camelCase and digits", arguments: [
        ("relatedPosts", ["related", "posts"]),
        ("sidebar2", ["sidebar", "2"]),
        ("post__share-bar", ["post", "share", "bar"]),
        ("HTMLContent", ["html", "content"]),
    ])
    func tokens(value: String, expected: [String]) {
        #expect(ClassVocabulary.tokens(of: value) == expected)
    }

    @Test("furniture words count only as whole tokens", arguments: [
        ("share-buttons", Int8(-1)), ("post-comments", -2), ("relatedPosts", -2), ("sidebar2", -2),
        ("shared-drive", 0), ("sharing-economy", 0), ("commentary", 0), ("read-more", 0), ("elementor-widget-container", 0),
        ("entry-content", 1), ("articleBody", 1), ("entry-footer", -2), ("content-sidebar-wrap", 0), ("post-and-sidebar", 0),
        ("inline-and-sidebar-container", 0), ("main-with-sidebar", 0), ("cta-block-with-background", -1),
        ("is-style-sidebar", 0), ("has-sidebar", 0), ("interior-page-content-has-sidebar", 0), ("c-layout-sidebar-left", 0),
        ("sidebar-layout", -2), ("is-sticky sidebar", -2),
    ])
    func classWeights(value: String, expected: Int8) {
        #expect(ClassVocabulary.weight(of: value) == expected)
    }

    @Test("a content word after a comment or sidebar word names that furniture's own text", arguments: [
        ("comment-content", Int8(-2)), ("comments-body", -2), ("commentText", -2), ("sidebar-content", -2),
        ("content-comments", -2), ("post-body", 1),
    ])
    func furnitureContent(value: String, expected: Int8) {
        #expect(ClassVocabulary.weight(of: value) == expected)
    }

    @Test("an id made from a heading and a WordPress taxonomy class carry no weight")
    func slugsAndTaxonomies() {
        let weigh = { (cls: String?, id: String?) -> Int8 in
            var c = Array((cls ?? "").utf8) + [0], i = Array((id ?? "").utf8) + [0]
            return c.withUnsafeMutableBufferPointer { cp in i.withUnsafeMutableBufferPointer { ip in
                ClassVocabulary.weight(class: cls == nil ? nil : UnsafePointer(cp.baseAddress!), id: id == nil ? nil : UnsafePointer(ip.baseAddress!), role: nil)
            } }
        }
        #expect(weigh(nil, "how-your-photos-are-shared-with-friends") == 0)
        #expect(weigh(nil, "comments") == -2)
        #expect(weigh("post tag-social-media category-comments", nil) == 1)
    }
}
