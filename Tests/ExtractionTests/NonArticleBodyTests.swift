import Foundation
import Testing
import TidingsCore
@testable import Extraction

@Suite("The main column of a page that is no article")
struct NonArticleBodyTests {
    static let url = "https://shop.example.com/w/mens-running"
    /// As `tidings extract` and its bench configure it (a refresh does not keep the column).
    static let extractor = Extractor(configuration: ExtractorConfiguration(keepsNonArticleBody: true))

    @Test("a product grid is refused as an article, and the refusal carries the grid's items without the menu and the footer")
    func productGridIsKeptWithTheRefusal() throws {
        let page = try Fixture.page("shop-collection.html", url: Self.url)
        guard case .failure(let failure) = Self.extractor.extract(page) else {
            Issue.record("a product grid was taken for an article")
            return
        }
        #expect(failure.reason == .tooLittleText)
        let text = try #require(failure.metadata?.text)
        for item in ["Trail Runner 2", "Cushioned daily trainer", "$180", "Easy Day", "Recovery shoe, wide fit"] {
            #expect(text.contains(item), "the refusal's text lost \(item)")
        }
        // linked item names are the listing's content: they stay although they are links
        #expect(text.contains("Road Glide"))
        for furniture in ["Women", "Sale", "Free returns", "Copyright"] {
            #expect(!text.contains(furniture), "the refusal's text holds the page furniture \(furniture)")
        }
        #expect(failure.metadata?.html.contains("Tempo Fly") == true)
    }

    @Test("--explain names the main column recorded with the refusal")
    func explanationNamesTheColumn() throws {
        let page = try Fixture.page("shop-collection.html", url: Self.url)
        let explanation = Self.extractor.explain(page)
        #expect(explanation.notes.contains { $0.contains("main column") && $0.contains("ul.product-grid") })
    }

    @Test("a page with no text outside its furniture has no main column")
    func onlyFurniture() throws {
        let html = "<html><body><nav><a href='/a'>Home</a> <a href='/b'>About us and our long story</a></nav><footer>Copyright</footer></body></html>"
        guard case .failure(let failure) = Self.extractor.extract(html: html, url: URL(string: Self.url)!) else {
            Issue.record("a page of furniture was taken for an article")
            return
        }
        #expect(failure.metadata?.text == "")
    }
}
