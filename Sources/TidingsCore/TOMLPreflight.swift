/// Checks that hand TOMLKit only text its C++ parser (toml++) copes with: a malformed table
/// header such as `[[[` trips an assertion inside toml++ (abort in debug builds, undefined
/// behaviour in release), so table headers are checked here first.
enum TOMLPreflight {
    private static var header: Regex<Substring> { #/^\s*\[\[?\s*(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*'))*\s*\]\]?\s*(?:#.*)?$/# }

    /// The 1-based number of the first line that is a malformed table header, if any.
    static func firstBadHeaderLine(_ text: String) -> Int? {
        var inMultilineString = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let quotes = line.components(separatedBy: "\"\"\"").count - 1 + line.components(separatedBy: "'''").count - 1
            if quotes % 2 == 1 { inMultilineString.toggle() }
            if inMultilineString || quotes > 0 { continue }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.first == "[" else { continue }
            if line.wholeMatch(of: header) == nil { return index + 1 }
        }
        return nil
    }
}
