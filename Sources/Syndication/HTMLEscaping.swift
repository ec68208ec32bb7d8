/// Escaping for text and attribute values in the HTML Tidings writes itself (the index
/// page, bodies rebuilt from plain text). Drops what XML forbids, like `XMLBuilder`.
enum HTMLEscaping {
    static func escaped(_ value: String) -> String {
        TextEscaper.escaped(value, for: .html)
    }
}
