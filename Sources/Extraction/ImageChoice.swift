import CLibXML2
import Foundation

/// The one image a feed shows for an `<img>` or a `<picture>`: the largest candidate of the
/// `srcset`s (of the `<source>` elements and of the `<img>`) and the `src`, with the display size
/// the page declares. Feed readers ignore `<picture>` and `<source>`, and many ignore `srcset`.
struct ImageChoice: Equatable {
    var url: String
    var width: Int?
    var height: Int?

    /// One `srcset` entry: a URL and its width (`800w`) or pixel density (`2x`) descriptor.
    struct Candidate: Equatable {
        var reference: String
        var width: Int?
        var density: Double?
    }

    /// The entries of a `srcset` value. URLs may hold commas (`…/w_800,h_600/…`), so an entry
    /// ends at a comma followed by whitespace or at the comma after a descriptor.
    static func candidates(ofSrcset value: String) -> [Candidate] {
        var result: [Candidate] = []
        var rest = Substring(value)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," }
            guard !rest.isEmpty else { break }
            let urlEnd = rest.firstIndex { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } ?? rest.endIndex
            var reference = rest[..<urlEnd]
            rest = rest[urlEnd...]
            var descriptor = Substring("")
            if reference.hasSuffix(",") {
                while reference.hasSuffix(",") { reference = reference.dropLast() }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                descriptor = rest[..<end]
                rest = rest[end...]
            }
            guard !reference.isEmpty else { continue }
            var candidate = Candidate(reference: String(reference))
            for token in descriptor.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                let number = token.dropLast()
                if token.hasSuffix("w"), let w = Int(number), w > 0 { candidate.width = w }
                if token.hasSuffix("x"), let x = Double(number), x > 0, x.isFinite { candidate.density = x }
            }
            result.append(candidate)
        }
        return result
    }

    /// The image of `node` (an `<img>` or a `<picture>`); `resolve` turns a reference into a safe
    /// absolute URL (nil for `data:`, `javascript:`, …), `fallbackSource` is the `<img>`'s own
    /// source with lazy-loading attributes already resolved.
    static func choose(_ node: xmlNodePtr, resolve: (String) -> String?,
                       fallbackSource: (xmlNodePtr) -> String?) -> ImageChoice? {
        let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        var sources: [xmlNodePtr] = []
        var image: xmlNodePtr?
        if name == "picture" {
            // libxml2 does not know `<source>` is void, so later sources nest inside earlier ones
            collect(in: node, sources: &sources, image: &image, depth: 0)
        } else {
            image = node
        }
        let imageWidth = image.flatMap { dimension($0, "width") }
        let imageHeight = image.flatMap { dimension($0, "height") }

        // Best first: the largest declared width; a density counts as that multiple of the
        // `<img>`'s width (or of 1 px when unknown, which still orders 2x above 1x).
        var best: (choice: ImageChoice, size: Double)?
        func offer(_ reference: String, size: Double, width: Int?, height: Int?) {
            guard let url = resolve(reference) else { return }
            if let current = best, current.size >= size { return }
            best = (ImageChoice(url: url, width: width, height: height), size)
        }
        func offerSrcset(of element: xmlNodePtr, width: Int?, height: Int?) {
            guard let value = attribute(element, "srcset") ?? attribute(element, "data-srcset") else { return }
            for c in candidates(ofSrcset: value) {
                let size = c.width.map(Double.init) ?? (c.density ?? 1) * Double(width ?? 1)
                offer(c.reference, size: size, width: width, height: height)
            }
        }
        for source in sources where isDisplayable(source) {
            // `<source width height>` is allowed inside `<picture>`; else the `<img>`'s size holds
            // only for the same art direction, which we cannot know: report it anyway when the
            // source says nothing, as browsers do.
            let w = dimension(source, "width") ?? imageWidth, h = dimension(source, "height") ?? imageHeight
            offerSrcset(of: source, width: w, height: h)
        }
        if let image {
            offerSrcset(of: image, width: imageWidth, height: imageHeight)
            if let src = fallbackSource(image) {
                // A plain `src` is the 1x candidate; it wins ties, being what every reader loads.
                let size = Double(imageWidth ?? 1)
                if best == nil || best!.size <= size {
                    best = (ImageChoice(url: src, width: imageWidth, height: imageHeight), size)
                }
            }
        }
        guard var choice = best?.choice else { return nil }
        if choice.width == nil || choice.height == nil { choice.width = nil; choice.height = nil }
        return choice
    }

    /// The `<source>`s and the first `<img>` below a `<picture>`.
    static func collect(in node: xmlNodePtr, sources: inout [xmlNodePtr], image: inout xmlNodePtr?, depth: Int) {
        guard depth < 20 else { return }
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, let n = c.pointee.name {
                switch String(cString: n).lowercased() {
                case "source": sources.append(c)
                case "img" where image == nil: image = c
                default: break
                }
                collect(in: c, sources: &sources, image: &image, depth: depth + 1)
            }
            child = c.pointee.next
        }
    }

    /// A `<source>` whose type every reader can show (no type, or a raster type); SVG sources are
    /// left out as the sanitizer never emits SVG.
    private static func isDisplayable(_ source: xmlNodePtr) -> Bool {
        guard let type = attribute(source, "type")?.lowercased() else { return true }
        return type.hasPrefix("image/") && !type.contains("svg")
    }

    /// A positive pixel size from a `width`/`height` attribute (`640`, `640px`), nil otherwise.
    private static func dimension(_ node: xmlNodePtr, _ name: String) -> Int? {
        guard var value = attribute(node, name)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if value.lowercased().hasSuffix("px") { value = String(value.dropLast(2)) }
        guard let n = Int(value), n > 0, n < 100_000 else { return nil }
        return n
    }

    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        DocumentAnalysis.attributeString(node, name).flatMap { $0.isEmpty ? nil : $0 }
    }
}
