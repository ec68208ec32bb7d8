/// A selector from `[extract]` rules, translated once by the `SelectorTranslator` that
/// `tidings check` validates with; one the translator refuses selects nothing.
struct RuleSelector {
    let xpath: String?

    init(_ selector: String) {
        xpath = try? SelectorTranslator.xpath(for: selector).get()
    }

    func select(in document: HTMLDocument) -> [HTMLNode] {
        guard let xpath else { return [] }
        return document.select(xpath: xpath)
    }
}
