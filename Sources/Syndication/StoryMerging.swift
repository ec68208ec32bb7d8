import TidingsCore

/// In the combined feed, one story republished by several sources (a wire story carried by
/// several portals) is one entry: the first one Tidings saw, carrying the other links.
///
/// Near-linear: fingerprints within `ArticleFingerprint.nearDuplicateDistance` bits of each
/// other agree on at least one of `bandCount` bands (pigeonhole), so each entry is compared
/// only with the kept entries that share a band value with it.
enum StoryMerging {
    struct Item {
        var sourceID: String
        var id: String
        var firstSeen: Double
        var fingerprint: UInt64?
    }

    /// One more band than the bits two copies may differ by.
    static let bandCount = ArticleFingerprint.nearDuplicateDistance + 1
    static let bandWidth = 64 / bandCount

    /// For every item, nil when it stays, or the index of the item it is a copy of; and the
    /// order the items were judged in (earliest seen first), in which copies list their links.
    static func assignments(_ items: [Item]) -> (targets: [Int?], order: [Int]) {
        // Earliest seen first, so a later republication never displaces the entry readers have.
        let order = items.indices.sorted { a, b in
            if items[a].firstSeen != items[b].firstSeen { return items[a].firstSeen < items[b].firstSeen }
            return items[a].id < items[b].id
        }
        var result = [Int?](repeating: nil, count: items.count)
        var keptRank = [Int](repeating: -1, count: items.count)
        var buckets: [Int: [Int]] = [:]
        var kept = 0
        for index in order {
            guard let fingerprint = items[index].fingerprint else {
                keptRank[index] = kept
                kept += 1
                continue
            }
            let keys = bandKeys(fingerprint)
            var match: Int?
            for key in keys {
                for other in buckets[key] ?? [] where match.map({ keptRank[other] < keptRank[$0] }) ?? true {
                    if items[other].sourceID != items[index].sourceID,
                       let theirs = items[other].fingerprint, ArticleFingerprint.isNearDuplicate(theirs, fingerprint) {
                        match = other
                    }
                }
            }
            if let match {
                result[index] = match
                continue
            }
            keptRank[index] = kept
            kept += 1
            for key in keys { buckets[key, default: []].append(index) }
        }
        return (result, order)
    }

    /// The band values of a fingerprint, each tagged with its band.
    static func bandKeys(_ fingerprint: UInt64) -> [Int] {
        (0..<bandCount).map { band in
            let shift = band * bandWidth
            let width = band == bandCount - 1 ? 64 - shift : bandWidth
            let mask: UInt64 = width >= 64 ? .max : (1 << UInt64(width)) - 1
            return band << 16 | Int((fingerprint >> UInt64(shift)) & mask)
        }
    }

    /// The entries that stay, each with the links of its copies (tests and full publishing).
    static func merged(_ entries: [FeedEntry]) -> [FeedEntry] {
        let items = entries.map { Item(sourceID: $0.sourceID, id: $0.id, firstSeen: $0.firstSeen.date.timeIntervalSince1970,
                                        fingerprint: $0.article.fingerprint) }
        let (assigned, order) = assignments(items)
        var kept = entries
        for index in order {
            guard let target = assigned[index] else { continue }
            let link = entries[index].article.canonicalURL
            if !kept[target].relatedLinks.contains(link) { kept[target].relatedLinks.append(link) }
        }
        return assigned.indices.filter { assigned[$0] == nil }.map { kept[$0] }
    }
}
