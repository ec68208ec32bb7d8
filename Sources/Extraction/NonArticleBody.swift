/// What a page refused as an article holds instead (a listing, a product grid, a forum index,
/// a service page): its main column, for callers that show or score the page's main content
/// even though no article entry is made of it (`tidings extract --explain`, the bench).
///
/// The column is found by descending from `<body>` into the child that holds most of the text
/// outside furniture, as long as one child holds `Heuristics.mainColumnShare` of it: wrappers
/// and layout columns are passed through, and the descent stops at the element whose children
/// share the text between them (the list of items, the grid of products).
enum NonArticleBody {
    /// The element to render, or nil when the page shows no text outside furniture.
    static func root(in analysis: DocumentAnalysis) -> Int? {
        let records = analysis.records
        guard !records.isEmpty else { return nil }
        // weighted text outside furniture, per element (children follow their parents)
        var inFurniture = [Bool](repeating: false, count: records.count)
        var kept = [Int](repeating: 0, count: records.count)
        for i in records.indices {
            let p = records[i].parent
            inFurniture[i] = records[i].isBoilerplate || (p >= 0 && inFurniture[p])
            if !inFurniture[i] { kept[i] = records[i].own.weightedLength }
        }
        var largestChild = [Int](repeating: -1, count: records.count)
        for i in stride(from: records.count - 1, through: 1, by: -1) {
            let p = records[i].parent
            guard p >= 0, kept[i] > 0 else { continue }
            kept[p] += kept[i]
            if largestChild[p] < 0 || kept[i] > kept[largestChild[p]] { largestChild[p] = i }
        }
        var current = analysis.bodyIndex
        guard kept[current] > 0 else { return nil }
        while largestChild[current] >= 0,
              Double(kept[largestChild[current]]) >= Double(kept[current]) * Heuristics.mainColumnShare {
            current = largestChild[current]
        }
        return current
    }
}
