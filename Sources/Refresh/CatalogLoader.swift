import Foundation
import TidingsCore

/// Reads every `*.toml` file of the feeds folder into a `Catalog`.
public enum CatalogLoader {
    /// `minimumEvery` is the shortest interval a file may ask for.
    public static func load(directory: URL, minimumEvery: TimeInterval = SourceParser.defaultMinimumEvery) -> Catalog {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            return Catalog(sources: [], errors: [CatalogError(file: directory.path, message: "feeds folder not found or unreadable")])
        }
        var files: [(name: String, text: String)] = []
        var errors: [CatalogError] = []
        for name in names.sorted() where name.hasSuffix(".toml") {
            let url = directory.appendingPathComponent(name)
            guard let data = fm.contents(atPath: url.path) else {
                errors.append(CatalogError(file: name, message: "unreadable"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(CatalogError(file: name, message: "not UTF-8 text"))
                continue
            }
            files.append((name, text))
        }
        var catalog = Catalog.parse(files: files, baseDirectory: directory, minimumEvery: minimumEvery)
        catalog.errors = errors + catalog.errors
        return catalog
    }
}
