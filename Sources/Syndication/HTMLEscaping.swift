/// Escaping for text and attribute values in the HTML Tidings writes itself (the index
/// page, bodies rebuilt from plain text). Drops what XML forbids, like `XMLBuilder`.
enum HTMLEscaping {
    static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for scalar in FeedText.legal(value).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
