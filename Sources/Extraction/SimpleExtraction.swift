import Foundation
import TidingsCore

/// First extractor: the element whose paragraphs hold the most non-link text.
struct SimpleExtraction {
    let document: HTMLDocument
    let configuration: ExtractorConfiguration

    func run() -> Result<Article, ExtractionFailure> {
        guard let root = document.root else { return .failure(ExtractionFailure(.emptyPage, "no <html> element")) }
        var best: (node: HTMLNode, score: Int)?
        root.walk { node in
            guard node.isElement else { return false }
            if ["script", "style", "nav", "footer", "header", "aside"].contains(node.name) { return false }
            let score = node.elementChildren.filter { $0.name == "p" }.reduce(0) { $0 + $1.text.count }
            if score > (best?.score ?? 0) { best = (node, score) }
            return true
        }
        guard let body = best?.node, best!.score > 80 else {
            return .failure(ExtractionFailure(.tooLittleText, "no block of paragraphs found"))
        }
        let paragraphs = body.elementChildren.filter { $0.name == "p" }
            .map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{3000}"])) }
            .filter { !$0.isEmpty }
        let html = paragraphs.map { "<p>\(escape($0))</p>" }.joined(separator: "\n")
        let title = (document.select(xpath: "//h1").first?.text ?? document.select(xpath: "//title").first?.text ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return .success(Article(url: document.baseURL, title: title, html: html, text: paragraphs.joined(separator: "\n\n"),
                                summary: String(paragraphs.first?.prefix(200) ?? "")))
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
