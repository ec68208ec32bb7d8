import TidingsCore

/// The one order every feed uses: newest `sortTime` first, ties broken by id, one entry per
/// id. Total, so the same entries always give the same bytes whatever order they came in.
enum EntryOrdering {
    static func newestFirst(_ entries: [FeedEntry], limit: Int) -> [FeedEntry] {
        var byID: [String: FeedEntry] = [:]
        for entry in entries {
            if let kept = byID[entry.id], !isPreferred(entry, over: kept) { continue }
            byID[entry.id] = entry
        }
        let sorted = byID.values.sorted { a, b in
            if a.sortTime.date != b.sortTime.date { return a.sortTime.date > b.sortTime.date }
            return a.id < b.id
        }
        return Array(sorted.prefix(limit))
    }

    /// Of two entries with the same id, the more recently updated one wins; the rest of the
    /// comparison only makes the choice independent of input order.
    static func isPreferred(_ a: FeedEntry, over b: FeedEntry) -> Bool {
        if a.updated.date != b.updated.date { return a.updated.date > b.updated.date }
        if a.firstSeen.date != b.firstSeen.date { return a.firstSeen.date > b.firstSeen.date }
        if a.article.title != b.article.title { return a.article.title > b.article.title }
        if a.article.html != b.article.html { return a.article.html > b.article.html }
        if a.sourceID != b.sourceID { return a.sourceID > b.sourceID }
        return String(describing: a) > String(describing: b)
    }
}
