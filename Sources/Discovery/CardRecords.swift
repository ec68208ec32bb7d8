import Extraction
import Foundation

/// Records that are cards: each link sits in its own box that also holds a description (a
/// product's tagline, a repository's summary) outside any link. A menu item holds its link and
/// nothing else, so a list of short names (`TestSprite`, `tensorflow`) whose boxes describe
/// them is a list of records, not navigation (producthunt.com, GitHub topic pages of the WCXB
/// listing pages, bench/discovery dev half).
enum CardRecords {
    /// Levels above the anchor searched for its record's box.
    static let boxLevels = 4
    /// Characters of text outside links that make a box a described card (a tagline is 20–80).
    static let minimumDescription = 20
    /// Records a group needs before its cards count.
    static let minimumRecords = 5

    /// Share of `anchors` (a group's links in page order, one per target) whose record box holds
    /// a description. A box is the highest ancestor, up to `boxLevels`, holding neither
    /// neighbouring anchor nor a headline other than the anchor's own: a section's "More on
    /// this topic" link sits in a box of other stories' headlines and summaries, not in a card.
    static func describedShare(_ links: [(anchor: HTMLNode, isHeadline: Bool)], headlinesInside: [HTMLNode: Int],
                               steps: inout Int) -> Double {
        guard links.count >= minimumRecords else { return 0 }
        let anchors = links.map(\.anchor)
        var described = 0
        for (k, anchor) in anchors.enumerated() {
            let neighbours = [k > 0 ? anchors[k - 1] : nil, k + 1 < anchors.count ? anchors[k + 1] : nil].compactMap { $0 }
            let ownHeadlines = links[k].isHeadline ? 1 : 0
            var box: HTMLNode?
            var node = anchor.parent
            var level = 0
            while let e = node, level < boxLevels, (headlinesInside[e] ?? 0) <= ownHeadlines,
                  !neighbours.contains(where: { isInside($0, e, steps: &steps) }) {
                box = e
                node = e.parent
                level += 1
            }
            if let box, textOutsideLinks(box, limit: minimumDescription) >= minimumDescription { described += 1 }
        }
        return Double(described) / Double(anchors.count)
    }

    private static func isInside(_ node: HTMLNode, _ ancestor: HTMLNode, steps: inout Int) -> Bool {
        var e: HTMLNode? = node
        while let x = e {
            if x == ancestor { return true }
            e = x.parent
            steps += 1
        }
        return false
    }

    /// Letters and digits of `element`'s text outside `<a>`, counted up to `limit`.
    private static func textOutsideLinks(_ element: HTMLNode, limit: Int) -> Int {
        var count = 0
        element.walk { node in
            if count >= limit { return false }
            if node.isElement {
                let name = node.name
                return name != "a" && name != "script" && name != "style" && name != "button"
            }
            if node.isText {
                count += node.text.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.count
            }
            return true
        }
        return count
    }
}
