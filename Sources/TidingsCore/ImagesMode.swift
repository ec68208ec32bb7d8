/// How the images of a feed reach its readers (`images` in a feeds file or in tidings.toml).
public enum ImagesMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Readers load images from the site itself (the default).
    case direct
    /// Image URLs point at the daemon's `/img/` proxy, which fetches them with the source's
    /// Referer and headers (for sites that refuse images linked from elsewhere).
    case proxy

    /// The `images` key of `table`, when present and valid; a problem names the key otherwise.
    static func read(_ table: TOMLTable, reader: inout TableReader) -> ImagesMode? {
        guard let text = reader.string(table, "images") else { return nil }
        if let mode = ImagesMode(rawValue: text.lowercased()) { return mode }
        let known = allCases.map(\.rawValue)
        reader.report("images", "'\(text)' is not one of \(known.joined(separator: ", "))")
        return nil
    }
}
