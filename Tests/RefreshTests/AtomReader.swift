import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads back the Atom files the tests write (entry ids, titles, published, content).
struct AtomEntry {
    var id: String
    var title: String
    var published: String
    var link: String
    var content: String
}

enum AtomReader {
    static func entries(at url: URL) throws -> [AtomEntry] {
        let document = try XMLDocument(contentsOf: url, options: [])
        let ns = "http://www.w3.org/2005/Atom"
        guard let feed = document.rootElement() else { return [] }
        return feed.elements(forLocalName: "entry", uri: ns).map { entry in
            func text(_ name: String) -> String { entry.elements(forLocalName: name, uri: ns).first?.stringValue ?? "" }
            func attribute(_ element: XMLElement, _ name: String) -> String? {
                element.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
            }
            let link = entry.elements(forLocalName: "link", uri: ns)
                .first { attribute($0, "rel") == "alternate" }
                .flatMap { attribute($0, "href") } ?? ""
            return AtomEntry(id: text("id"), title: text("title"), published: text("published"), link: link, content: text("content"))
        }
    }
}
