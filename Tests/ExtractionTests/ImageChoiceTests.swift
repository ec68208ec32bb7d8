@testable import Extraction
import Foundation
import Testing

@Suite("Images from <picture> and srcset")
struct ImageChoiceTests {
    static let url = "https://coastline.example/2026/03/04/ferry-returns"

    @Test("a <picture> becomes one <img> with its largest displayable candidate and that source's width and height")
    func pictureBecomesImage() throws {
        let article = try Fixture.article("article-with-picture-images.html", url: Self.url)
        #expect(article.html.contains("<img src=\"https://coastline.example/media/ferry-2400.jpg\" width=\"1200\" height=\"800\" alt=\"The ferry Skarv leaving the dry dock\">"))
        for dropped in ["<picture", "<source", "ferry-outline.svg", "ferry-320.jpg"] {
            #expect(!article.html.contains(dropped), "kept \(dropped)")
        }
        #expect(article.leadImage?.absoluteString == "https://coastline.example/media/ferry-2400.jpg")
    }

    @Test("a lazy image known only by data-srcset gets its widest candidate, commas inside the URLs kept")
    func lazySrcset() throws {
        let html = try Fixture.article("article-with-picture-images.html", url: Self.url).html
        #expect(html.contains("<img src=\"https://img.example-cdn.net/c_fill,w_960/ferry-deck.jpg\" srcset=\"https://img.example-cdn.net/c_fill,w_480/ferry-deck.jpg 480w, https://img.example-cdn.net/c_fill,w_960/ferry-deck.jpg 960w\" alt=\"The new passenger deck\">"))
        #expect(!html.contains("data:image"))
        #expect(html.contains("alt=\"The new passenger deck\"></p></figure>"), "a paragraph opened in the figure closes before it")
    }

    @Test("a 2x candidate beats the 1x src; the <img>'s declared display size is kept")
    func densityDescriptor() throws {
        let html = try Fixture.article("article-with-picture-images.html", url: Self.url).html
        #expect(html.contains("<img src=\"https://coastline.example/media/map-2x.png\" srcset=\"https://coastline.example/media/map-1x.png 1x, https://coastline.example/media/map-2x.png 2x\" width=\"400\" height=\"300\" alt=\"Map of the route\">"))
    }

    @Test("srcset values are read by the HTML grammar: descriptors, commas in URLs, junk left out without a crash")
    func srcsetGrammar() {
        typealias C = ImageChoice.Candidate
        #expect(ImageChoice.candidates(ofSrcset: "a.jpg 480w, b.jpg 2x,c.jpg") == [
            C(reference: "a.jpg", width: 480), C(reference: "b.jpg", density: 2), C(reference: "c.jpg"),
        ])
        #expect(ImageChoice.candidates(ofSrcset: "/w_1,h_2/x.jpg 10w,/y.jpg") == [C(reference: "/w_1,h_2/x.jpg", width: 10), C(reference: "/y.jpg")])
        #expect(ImageChoice.candidates(ofSrcset: "a.jpg,, b.jpg") == [C(reference: "a.jpg"), C(reference: "b.jpg")])
        for junk in ["", " , ,", "a.jpg -3w", "a.jpg nanx", "a.jpg 99999999999999999999w", "a.jpg ww xx 1.5.5x"] {
            let parsed = ImageChoice.candidates(ofSrcset: junk)
            #expect(parsed.allSatisfy { $0.width.map { $0 > 0 } ?? true && $0.density.map { $0 > 0 && $0.isFinite } ?? true }, "\(junk)")
        }
    }

    @Test("a <picture> without any usable candidate writes no image")
    func emptyPicture() throws {
        let page = """
        <html><head><title>Refit</title></head><body><article><h1>Refit</h1>
        <picture><source srcset="javascript:alert(1) 2x"><img src="data:image/gif;base64,R0lGOD"></picture>
        <p>\(String(repeating: "The harbour ferry carried its first passengers in two years on Tuesday. ", count: 8))</p>
        </article></body></html>
        """
        let article = try Extractor().extract(html: page, url: URL(string: Self.url)!).get()
        #expect(!article.html.contains("<img"))
        #expect(article.text.contains("first passengers"))
    }
}
