import Foundation

/// A source's id is its file name without `.toml`, and it names the feed files
/// (`<id>.atom`, `<id>.json`, `<id>.rss`) and the server's path to them. An id that is not a
/// safe file name, or that is taken by a file the Writer publishes or a path the server
/// answers itself, is refused where the file is read: the other sources still load.
public enum SourceID {
    /// Stems of files the Writer publishes (`all.*`, `index.html`, `feeds.opml`) and paths the
    /// daemon's server answers itself (`/status.json`, `/healthz`, `/metrics`, `/refresh`,
    /// the image proxy). Compared without regard to case, so a copy of the output folder on a
    /// case-insensitive disk cannot collide either.
    public static let reserved: Set<String> = ["all", "index", "feeds", "status", "healthz", "metrics", "refresh",
                                               "image", "images"]

    /// Longest id: the feed file name and the publisher's temporary names around it must stay
    /// well inside the 255-byte file name limit of Linux file systems.
    public static let maximumUTF8Length = 120

    /// Why `id` cannot name a source, or nil when it can.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "the file name (the source's id) is empty" }
        if reserved.contains(id.lowercased()) {
            return "'\(id)' is reserved for Tidings' own files and paths (\(reserved.sorted().joined(separator: ", "))); rename the file"
        }
        if id.utf8.count > maximumUTF8Length {
            return "the file name is longer than \(maximumUTF8Length) bytes; choose a shorter one"
        }
        if id.hasPrefix(".") || id.hasPrefix("-") {
            return "the file name (the source's id) must not start with '.' or '-'"
        }
        for scalar in id.unicodeScalars where !isAllowed(scalar) {
            return "the file name (the source's id) may hold letters, digits, '-', '_' and '.' only (found \(HeaderText.describe(scalar)))"
        }
        return nil
    }

    /// Letters and digits of any script (Chinese names are fine), and `-`, `_`, `.`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "-" || scalar == "_" || scalar == "." { return true }
        if scalar.isASCII { return Character(scalar).isLetter || Character(scalar).isNumber }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
    }
}

extension SourceID {
    /// An id for a new source, from its title or else its URL (`news.example.com/science/` →
    /// `news-example-com-science`): lower-case, letters and digits of any script joined by
    /// single dashes, never reserved, at most 60 bytes.
    public static func suggested(title: String?, url: URL) -> String {
        var words: [String] = []
        if let title { words = slugWords(title) }
        if words.isEmpty || words.joined().unicodeScalars.count < 2 {
            let host = (url.host ?? "").lowercased()
            let trimmedHost = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
            words = slugWords(trimmedHost + " " + url.path)
        }
        var id = ""
        for word in words {
            let next = id.isEmpty ? word : id + "-" + word
            if next.utf8.count > suggestedMaximumUTF8Length { break }
            id = next
        }
        if id.isEmpty { id = "source" }
        if problem(id) != nil { id += "-feed" }
        return id
    }

    static let suggestedMaximumUTF8Length = 60

    static func slugWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar != "-" && scalar != "_" && scalar != "." && isAllowed(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words.filter { !["html", "htm", "php", "aspx", "index", "xml", "rss"].contains($0) }
    }
}
