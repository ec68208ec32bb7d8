import Foundation

/// The sources defined by the files of `feeds/`, parsed from their text (reading the
/// folder is the caller's job: this module does no I/O).
public struct Catalog: Sendable {
    public var sources: [Source]
    /// Files that could not be used, each with its cause; the other sources still load.
    public var errors: [CatalogError]

    public init(sources: [Source], errors: [CatalogError]) {
        self.sources = sources
        self.errors = errors
    }

    /// Parses every `(fileName, text)` pair; `baseDirectory` resolves relative `file:` URLs.
    public static func parse(files: [(name: String, text: String)], baseDirectory: URL) -> Catalog {
        var sources: [Source] = []
        var errors: [CatalogError] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            switch SourceParser.parse(fileName: file.name, text: file.text, baseDirectory: baseDirectory) {
            case .success(let source): sources.append(source)
            case .failure(let error): errors.append(error)
            }
        }
        return Catalog(sources: sources, errors: errors)
    }

    public func source(named id: String) -> Source? { sources.first { $0.id == id } }
}

/// Turns one `feeds/<id>.toml` file into a `Source`.
public enum SourceParser {
    static let knownKeys: Set<String> = ["title", "url", "every", "language", "timezone", "keep", "discover", "extract", "fetch"]
    static let knownFetchKeys: Set<String> = ["headers", "cookies", "referer", "robots", "host_gap"]
    static let knownDiscoverKeys: Set<String> = ["links", "limit", "sitemap"]
    static let knownExtractKeys: Set<String> = ["content", "title", "date", "author", "remove"]

    public static func parse(fileName: String, text: String, baseDirectory: URL) -> Result<Source, CatalogError> {
        let id = (fileName as NSString).deletingPathExtension
        let table: TOMLTable
        switch TOMLFile.table(text: text, fileName: fileName) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(error)
        }
        do {
            return .success(try source(id: id, file: fileName, table: table, baseDirectory: baseDirectory))
        } catch let error as CatalogError {
            return .failure(error)
        } catch {
            return .failure(CatalogError(file: fileName, message: "\(error)"))
        }
    }

    static func source(id: String, file: String, table: TOMLTable, baseDirectory: URL) throws -> Source {
        for key in table.keys where !knownKeys.contains(key) {
            throw CatalogError(file: file, key: key, message: "unknown key (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        guard let urlText = try string(table, "url", file: file) else {
            throw CatalogError(file: file, key: "url", message: "missing: every source needs the URL of a listing page, home page or feed")
        }
        let url = try resolveURL(urlText, file: file, baseDirectory: baseDirectory)
        var source = Source(id: id, title: try string(table, "title", file: file) ?? id, url: url)
        if let every = try string(table, "every", file: file) {
            guard let seconds = DurationText.seconds(every), seconds >= 1 else {
                throw CatalogError(file: file, key: "every", message: "'\(every)' is not a duration such as 30s, 15m, 2h or 1d")
            }
            source.every = seconds
        }
        source.language = try string(table, "language", file: file)
        if let zone = try string(table, "timezone", file: file) {
            guard TimeZone(identifier: zone) != nil else {
                throw CatalogError(file: file, key: "timezone", message: "'\(zone)' is not an IANA time zone such as Asia/Shanghai")
            }
            source.timeZone = zone
        }
        if let keep = table["keep"] {
            guard let n = keep.int, n > 0 else {
                throw CatalogError(file: file, key: "keep", message: "must be a positive whole number")
            }
            source.keep = n
        }
        if let value = table["discover"] {
            guard let discover = value.table else { throw CatalogError(file: file, key: "discover", message: "must be a table ([discover])") }
            for key in discover.keys where !knownDiscoverKeys.contains(key) {
                throw CatalogError(file: file, key: "discover.\(key)", message: "unknown key")
            }
            source.discover.links = try string(discover, "links", file: file, prefix: "discover.")
            if let limit = discover["limit"] {
                guard let n = limit.int, n > 0 else { throw CatalogError(file: file, key: "discover.limit", message: "must be a positive whole number") }
                source.discover.limit = n
            }
            if let text = try string(discover, "sitemap", file: file, prefix: "discover.") {
                source.discover.sitemap = try resolveURL(text, file: file, baseDirectory: baseDirectory, key: "discover.sitemap")
            }
        }
        if let value = table["extract"] {
            guard let extract = value.table else { throw CatalogError(file: file, key: "extract", message: "must be a table ([extract])") }
            for key in extract.keys where !knownExtractKeys.contains(key) {
                throw CatalogError(file: file, key: "extract.\(key)", message: "unknown key")
            }
            source.extract.content = try string(extract, "content", file: file, prefix: "extract.")
            source.extract.title = try string(extract, "title", file: file, prefix: "extract.")
            source.extract.date = try string(extract, "date", file: file, prefix: "extract.")
            source.extract.author = try string(extract, "author", file: file, prefix: "extract.")
            if let remove = extract["remove"] {
                guard let array = remove.array else { throw CatalogError(file: file, key: "extract.remove", message: "must be a list of selectors") }
                source.extract.remove = try array.map { item in
                    guard let s = item.string else { throw CatalogError(file: file, key: "extract.remove", message: "every item must be a string") }
                    return s
                }
            }
        }
        if let value = table["fetch"] {
            guard let fetch = value.table else { throw CatalogError(file: file, key: "fetch", message: "must be a table ([fetch])") }
            source.fetch = try fetchRules(fetch, file: file)
        }
        return source
    }

    static func fetchRules(_ table: TOMLTable, file: String) throws -> FetchRules {
        for key in table.keys where !knownFetchKeys.contains(key) {
            throw CatalogError(file: file, key: "fetch.\(key)", message: "unknown key (known: \(knownFetchKeys.sorted().joined(separator: ", ")))")
        }
        var rules = FetchRules()
        if let value = table["headers"] {
            guard let headers = value.table else { throw CatalogError(file: file, key: "fetch.headers", message: "must be a table of header names to values") }
            for name in headers.keys {
                guard let text = headers[name]?.string, !name.contains(":"), !name.contains(where: \.isNewline),
                      !text.contains(where: \.isNewline) else {
                    throw CatalogError(file: file, key: "fetch.headers.\(name)", message: "must be a one-line string, with a name without ':'")
                }
                rules.headers[name] = text
            }
        }
        rules.cookies = try string(table, "cookies", file: file, prefix: "fetch.")
        rules.referer = try string(table, "referer", file: file, prefix: "fetch.")
        if let value = table["robots"] {
            guard let flag = value.bool else { throw CatalogError(file: file, key: "fetch.robots", message: "must be true or false") }
            rules.obeysRobots = flag
        }
        if let text = try string(table, "host_gap", file: file, prefix: "fetch.") {
            guard let seconds = DurationText.seconds(text), seconds >= 0 else {
                throw CatalogError(file: file, key: "fetch.host_gap", message: "'\(text)' is not a duration such as 2s or 1m")
            }
            rules.hostGap = seconds
        }
        return rules
    }

    static func string(_ table: TOMLTable, _ key: String, file: String, prefix: String = "") throws -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw CatalogError(file: file, key: prefix + key, message: "must be a string") }
        return s
    }

    static func resolveURL(_ text: String, file: String, baseDirectory: URL, key: String = "url") throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            guard let url = URL(string: trimmed), url.host != nil else {
                throw CatalogError(file: file, key: key, message: "'\(text)' is not a valid URL")
            }
            return url
        }
        if trimmed.hasPrefix("file:") {
            // file:relative/path is relative to the feeds folder; file:///abs is absolute.
            let path = String(trimmed.dropFirst("file:".count))
            if path.hasPrefix("//") {
                guard let url = URL(string: trimmed) else { throw CatalogError(file: file, key: key, message: "'\(text)' is not a valid file URL") }
                return url
            }
            return baseDirectory.appendingPathComponent(path).standardizedFileURL
        }
        throw CatalogError(file: file, key: key, message: "'\(text)' must start with http://, https:// or file:")
    }
}

/// Durations written as `30s`, `15m`, `2h`, `1d` (or a bare number of seconds).
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = units[last], let n = Double(t.dropLast()) { return n * unit }
        return Double(t)
    }
}
