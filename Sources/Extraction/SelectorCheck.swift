import TidingsCore

/// Checks the selectors of a source definition, for `tidings check`.
public enum SelectorCheck {
    /// Every selector of `source` that cannot be used, as errors naming the file and the key
    /// (`discover.links`, `extract.content`, `extract.remove[1]`, …) and the unsupported part.
    public static func problems(in source: Source, file: String) -> [CatalogError] {
        var selectors: [(key: String, value: String)] = []
        if let s = source.discover.links { selectors.append(("discover.links", s)) }
        if let s = source.extract.content { selectors.append(("extract.content", s)) }
        if let s = source.extract.title { selectors.append(("extract.title", s)) }
        if let s = source.extract.date { selectors.append(("extract.date", s)) }
        if let s = source.extract.author { selectors.append(("extract.author", s)) }
        for (i, s) in source.extract.remove.enumerated() { selectors.append(("extract.remove[\(i)]", s)) }
        return selectors.compactMap { key, value in
            if case .failure(let error) = SelectorTranslator.xpath(for: value) {
                return CatalogError(file: file, key: key, message: "\(error.reason): '\(error.unsupportedPart)' in '\(value)'. \(SelectorTranslator.supportedSubset)")
            }
            return nil
        }
    }
}
