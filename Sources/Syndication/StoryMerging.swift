import TidingsCore

/// In the combined feed, one story republished by several sources (a wire story carried by
/// several portals) is one entry: the first one Tidings saw, carrying the other links.
enum StoryMerging {
    static func merged(_ entries: [FeedEntry]) -> [FeedEntry] {
        // Earliest seen first, so a later republication never displaces the entry readers have.
        let bySeen = entries.sorted { a, b in
            if a.firstSeen.date != b.firstSeen.date { return a.firstSeen.date < b.firstSeen.date }
            return a.id < b.id
        }
        var kept: [FeedEntry] = []
        for entry in bySeen {
            if let fingerprint = entry.article.fingerprint,
               let index = kept.firstIndex(where: { other in
                   other.sourceID != entry.sourceID && other.article.fingerprint.map {
                       ArticleFingerprint.isNearDuplicate($0, fingerprint)
                   } == true
               }) {
                let link = entry.article.canonicalURL
                if !kept[index].relatedLinks.contains(link) { kept[index].relatedLinks.append(link) }
                continue
            }
            kept.append(entry)
        }
        return kept
    }
}
