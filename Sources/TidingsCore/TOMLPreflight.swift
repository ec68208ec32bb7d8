import TOMLKit

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

/// Parses a TOML file of ours (a source or the settings), mapping every failure to a
/// `CatalogError` that names the file and the line.
enum TOMLFile {
    static func table(text: String, fileName: String) -> Result<TOMLTable, CatalogError> {
        if let line = TOMLPreflight.firstBadHeaderLine(text) {
            return .failure(CatalogError(file: fileName, message: "not valid TOML: malformed table header at line \(line)"))
        }
        do {
            return .success(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            return .failure(CatalogError(file: fileName, message: "not valid TOML: \(error.description) at line \(error.source.begin.line)"))
        } catch {
            return .failure(CatalogError(file: fileName, message: "not valid TOML: \(error)"))
        }
    }
}
