import CLibXML2
import Foundation

/// Writes the chosen content as plain text and as sanitized HTML in one walk, pruning
/// link lists, widgets and info lines inside it.
struct ContentRenderer {
    let analysis: DocumentAnalysis
    let document: HTMLDocument
    /// Text of the page title: a heading repeating it is not body text.
    let title: String
    /// Keeps link lists and link lines: the main column of a page that is no article (a
    /// listing's headlines are its content; `NonArticleBody`).
    var keepsLinks = false

    private(set) var text = PlainTextWriter()
    private(set) var html: SanitizingWriter
    /// Short elements pruned from the content (info lines, bylines, tool bars), in page order:
    /// where the metadata lives.
    private(set) var prunedLines: [String] = []

    init(analysis: DocumentAnalysis, document: HTMLDocument, title: String) {
        self.analysis = analysis
        self.document = document
        self.title = title
        self.html = SanitizingWriter(document: document)
    }

    mutating func render(roots: [Int]) {
        for root in roots { renderElement(analysis.records[root].pointer, index: root, isRoot: true) }
        html.finish()
    }

    // MARK: walking

    private mutating func renderElement(_ node: xmlNodePtr, index: Int, isRoot: Bool) {
        let r = analysis.records[index]
        if !isRoot && isPruned(r) {
            if r.text.characters > 0 && r.text.characters <= VisibleLines.maximumLineCharacters && prunedLines.count < VisibleLines.window {
                prunedLines.append(PageMetadata.clean(HTMLNode.content(of: node)))
            }
            return
        }
        let isBlock = r.kind.isBlock
        if isBlock { text.breakParagraph() }
        switch r.kind {
        case .lineBreak:
            text.breakLine()
            html.lineBreak(r.name)
            return
        case .image:
            html.image(node)
            return
        default: break
        }
        let inCaption = r.name == "figcaption" || r.name == "caption"
        html.open(node, name: r.name, kind: r.kind)
        if inCaption { text.suspend() }
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                if let i = analysis.record(of: c) { renderElement(c, index: i, isRoot: false) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    text.append(UnsafePointer(content))
                    html.text(UnsafePointer(content))
                }
            default: break
            }
            child = c.pointee.next
        }
        if inCaption { text.resume() }
        html.close(name: r.name, kind: r.kind)
        if isBlock { text.breakParagraph() }
    }

    /// Whether an element inside the content is furniture to leave out.
    private func isPruned(_ r: ElementRecord) -> Bool {
        if r.isBoilerplate { return true }
        if r.text.characters == 0 && r.images == 0 && r.kind != .lineBreak { return r.kind != .inline }
        switch r.kind {
        case .heading:
            if r.name == "h1" { return true }
            return isTitle(r)
        case .paragraph:
            if !keepsLinks && r.linkDensity > Heuristics.linkLineDensity && r.text.weightedLength < Heuristics.linkLineMaximumLength {
                return true
            }
            return r.text.characters <= Heuristics.infoLineMaximumCharacters && BoilerplateLine.matches(HTMLNode.content(of: r.pointer))
        case .list:
            return !keepsLinks && r.linkDensity > Heuristics.linkLineDensity
        case .container, .tableStructure, .furniture:
            if r.text.punctuation < Heuristics.prunePunctuationLimit {
                if !keepsLinks && r.linkDensity > Heuristics.pruneLinkDensity { return true }
                if !keepsLinks && r.kind == .container && r.listItems > r.paragraphs + 1 && r.linkDensity > Heuristics.pruneLinkDensity / 2 { return true }
                if r.text.characters <= Heuristics.infoLineMaximumCharacters && r.images == 0
                    && BoilerplateLine.matches(HTMLNode.content(of: r.pointer)) { return true }
            }
            return false
        default:
            return false
        }
    }

    private func isTitle(_ r: ElementRecord) -> Bool {
        guard !title.isEmpty, r.text.characters < 300 else { return false }
        let heading = PageMetadata.clean(HTMLNode.content(of: r.pointer))
        return heading == title
    }
}
