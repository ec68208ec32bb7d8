import Foundation
import TidingsCore

/// Which entries the combined feed (`all.*`) shows: the newest of the sources' feeds, one
/// entry per id, the copies of one story merged into the first one seen, at most `limit`.
/// Works on a bounded list of candidates (the newest few of every source's feed), not on
/// everything stored.
public enum CombinedWindow {
    public struct Candidate: Sendable, Hashable {
        public var sourceID: String
        public var id: String
        /// `FeedEntry.sortTime`, `firstSeen` and `updated`, in seconds since 1970.
        public var sortTime: Double
        public var firstSeen: Double
        public var updated: Double
        public var fingerprint: UInt64?
        /// The entry's canonical URL: the "related" link its copies carry.
        public var link: String

        public init(sourceID: String, id: String, sortTime: Double, firstSeen: Double, updated: Double,
                    fingerprint: UInt64?, link: String) {
            self.sourceID = sourceID
            self.id = id
            self.sortTime = sortTime
            self.firstSeen = firstSeen
            self.updated = updated
            self.fingerprint = fingerprint
            self.link = link
        }

        public init(_ entry: FeedEntry) {
            self.init(sourceID: entry.sourceID, id: entry.id, sortTime: entry.sortTime.date.timeIntervalSince1970,
                      firstSeen: entry.firstSeen.date.timeIntervalSince1970, updated: entry.updated.date.timeIntervalSince1970,
                      fingerprint: entry.article.fingerprint, link: entry.article.canonicalURL.absoluteString)
        }
    }

    public struct Member: Sendable, Hashable {
        /// Index into the candidates.
        public var candidate: Int
        /// The other copies' links, absolute, in the order they were seen.
        public var related: [String]
    }

    /// Newest first (then by id), as every feed orders its entries.
    public static func select(_ candidates: [Candidate], limit: Int) -> [Member] {
        guard limit > 0 else { return [] }
        // One entry per id: two sources carrying one article the same day share its id.
        var byID: [String: Int] = [:]
        for (index, candidate) in candidates.enumerated() {
            if let kept = byID[candidate.id], !isPreferred(candidate, over: candidates[kept]) { continue }
            byID[candidate.id] = index
        }
        let distinct = byID.values.sorted()
        let items = distinct.map { index in
            StoryMerging.Item(sourceID: candidates[index].sourceID, id: candidates[index].id,
                              firstSeen: candidates[index].firstSeen, fingerprint: candidates[index].fingerprint)
        }
        let (targets, order) = StoryMerging.assignments(items)
        var related = [[String]](repeating: [], count: distinct.count)
        for position in order {
            guard let target = targets[position],
                  let link = FeedLinks.webURL(URL(string: candidates[distinct[position]].link)),
                  !related[target].contains(link) else { continue }
            related[target].append(link)
        }
        let kept = distinct.indices.filter { targets[$0] == nil }.sorted { a, b in
            let x = candidates[distinct[a]], y = candidates[distinct[b]]
            if x.sortTime != y.sortTime { return x.sortTime > y.sortTime }
            return x.id < y.id
        }
        return kept.prefix(limit).map { Member(candidate: distinct[$0], related: related[$0]) }
    }

    /// Of two entries with the same id, the more recently updated one wins, then the one seen
    /// later, then the source id: the choice never depends on input order.
    static func isPreferred(_ a: Candidate, over b: Candidate) -> Bool {
        if a.updated != b.updated { return a.updated > b.updated }
        if a.firstSeen != b.firstSeen { return a.firstSeen > b.firstSeen }
        return a.sourceID > b.sourceID
    }
}
