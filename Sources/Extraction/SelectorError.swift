/// A selector from `feeds/*.toml` that Tidings cannot use.
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The selector as written.
    public var selector: String
    /// The part that is outside the supported subset or malformed, e.g. `:hover` or `~`.
    public var unsupportedPart: String
    /// What is wrong, in words.
    public var reason: String

    public init(selector: String, unsupportedPart: String, reason: String) {
        self.selector = selector
        self.unsupportedPart = unsupportedPart
        self.reason = reason
    }

    public var description: String {
        "'\(selector)': \(reason) ('\(unsupportedPart)'). \(SelectorTranslator.supportedSubset)"
    }
}
