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
    /// Every problem of every file is kept, so `tidings check` can show them all at once.
    public static func parse(files: [(name: String, text: String)], baseDirectory: URL,
                             minimumEvery: TimeInterval = SourceParser.defaultMinimumEvery) -> Catalog {
        var sources: [Source] = []
        var errors: [CatalogError] = []
        var ids: [String: String] = [:]
        for file in files.sorted(by: { $0.name < $1.name }) {
            switch SourceParser.parse(fileName: file.name, text: file.text, baseDirectory: baseDirectory,
                                      minimumEvery: minimumEvery) {
            case .success(let source):
                // Two ids that differ only in case would share feed files on a case-insensitive disk.
                if let other = ids[source.id.lowercased()] {
                    errors.append(CatalogError(file: file.name, message: "names the same feed as \(other) (ids differ only in case); rename one"))
                    continue
                }
                ids[source.id.lowercased()] = file.name
                sources.append(source)
            case .failure(let problems): errors += problems.problems
            }
        }
        return Catalog(sources: sources, errors: errors)
    }

    public func source(named id: String) -> Source? { sources.first { $0.id == id } }

    /// The files that could not be used (each once, however many problems it has).
    public var failedFiles: [String] {
        var seen = Set<String>()
        return errors.map(\.file).filter { seen.insert($0).inserted }
    }
}

/// Turns one `feeds/<id>.toml` file into a `Source`, or reports every problem it has.
public enum SourceParser {
    static let knownKeys = ["title", "url", "every", "language", "timezone", "keep", "discover", "extract", "fetch", "filter", "render", "images"]
    static let knownFetchKeys = ["headers", "cookies", "referer", "robots", "host_gap"]
    static let knownDiscoverKeys = ["links", "limit", "sitemap"]
    static let knownExtractKeys = ["content", "title", "date", "author", "remove"]
    static let knownFilterKeys = ["include", "exclude", "min_words"]
    static var tables: [(table: String, keys: [String])] {
        [("[discover]", knownDiscoverKeys), ("[extract]", knownExtractKeys), ("[fetch]", knownFetchKeys),
         ("[filter]", knownFilterKeys)]
    }

    /// The shortest `every` accepted unless the settings lower it (`min_every`): a news page
    /// polled more often than once a minute gains nothing and burdens the site.
    public static let defaultMinimumEvery: TimeInterval = 60

    public static func parse(fileName: String, text: String, baseDirectory: URL,
                             minimumEvery: TimeInterval = defaultMinimumEvery) -> Result<Source, FileProblems> {
        let id = (fileName as NSString).deletingPathExtension
        let table: TOMLTable
        switch TOMLFile.table(text: text, fileName: fileName) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(FileProblems([error]))
        }
        var reader = TableReader(file: fileName)
        let source = source(id: id, table: table, baseDirectory: baseDirectory, minimumEvery: minimumEvery, reader: &reader)
        if let source, reader.problems.isEmpty { return .success(source) }
        return .failure(FileProblems(reader.problems))
    }

    static func source(id: String, table: TOMLTable, baseDirectory: URL, minimumEvery: TimeInterval,
                       reader: inout TableReader) -> Source? {
        if let problem = SourceID.problem(id) { reader.report(nil, problem) }
        reader.checkKeys(table, known: knownKeys, elsewhere: tables)
        var url: URL?
        if let urlText = reader.string(table, "url") {
            url = resolveURL(urlText, key: "url", baseDirectory: baseDirectory, reader: &reader)
        } else if table["url"] == nil {
            reader.report("url", "missing: every source needs the URL of a listing page, home page or feed")
        }
        var source = Source(id: id, title: reader.string(table, "title") ?? id,
                            url: url ?? URL(fileURLWithPath: "/"))
        if let every = reader.duration(table, "every", example: "30m, 2h or 1d") {
            if every < minimumEvery {
                reader.report("every", "\(DurationText.text(every)) is shorter than the floor of \(DurationText.text(minimumEvery)) (min_every in tidings.toml)")
            } else {
                source.every = every
            }
        }
        if let language = reader.string(table, "language") {
            if let problem = LanguageTagSyntax.problem(language) { reader.report("language", problem) } else { source.language = language }
        }
        if let zone = reader.string(table, "timezone") {
            if TimeZone(identifier: zone) == nil {
                reader.report("timezone", "'\(zone)' is not an IANA time zone such as Asia/Shanghai")
            } else {
                source.timeZone = zone
            }
        }
        if let keep = reader.positiveInt(table, "keep") { source.keep = keep }
        if let value = table["render"] {
            switch (value.bool, value.string) {
            case (true?, _): source.render = .all
            case (false?, _): source.render = nil
            case (_, "listing"?): source.render = .listing
            default: reader.report("render", "must be true (listing and articles), \"listing\" (the listing only) or false")
            }
        }
        source.images = ImagesMode.read(table, reader: &reader)
        if let discover = reader.subtable(table, "discover") {
            reader.checkKeys(discover, known: knownDiscoverKeys, prefix: "discover.", elsewhere: tables)
            source.discover.links = reader.string(discover, "links", prefix: "discover.")
            source.discover.limit = reader.positiveInt(discover, "limit", prefix: "discover.")
            if let text = reader.string(discover, "sitemap", prefix: "discover.") {
                source.discover.sitemap = resolveURL(text, key: "discover.sitemap", baseDirectory: baseDirectory, reader: &reader)
            }
        }
        if let extract = reader.subtable(table, "extract") {
            reader.checkKeys(extract, known: knownExtractKeys, prefix: "extract.", elsewhere: tables)
            source.extract.content = reader.string(extract, "content", prefix: "extract.")
            source.extract.title = reader.string(extract, "title", prefix: "extract.")
            source.extract.date = reader.string(extract, "date", prefix: "extract.")
            source.extract.author = reader.string(extract, "author", prefix: "extract.")
            source.extract.remove = reader.strings(extract, "remove", prefix: "extract.") ?? []
        }
        if let fetch = reader.subtable(table, "fetch") {
            source.fetch = fetchRules(fetch, reader: &reader)
        }
        if let filter = reader.subtable(table, "filter") {
            source.filter = filterRules(filter, reader: &reader)
        }
        return url == nil ? nil : source
    }

    static func fetchRules(_ table: TOMLTable, reader: inout TableReader) -> FetchRules {
        reader.checkKeys(table, known: knownFetchKeys, prefix: "fetch.", elsewhere: tables)
        var rules = FetchRules()
        if let value = table["headers"] {
            if let headers = value.table {
                for name in headers.keys {
                    let key = "fetch.headers.\(name)"
                    if let problem = HeaderText.nameProblem(name) { reader.report(key, problem); continue }
                    guard let text = headers[name]?.string else { reader.report(key, "must be a string"); continue }
                    if let problem = HeaderText.valueProblem(text) { reader.report(key, problem); continue }
                    rules.headers[name] = text
                }
            } else {
                reader.report("fetch.headers", "must be a table of header names to values")
            }
        }
        rules.cookies = reader.headerValue(table, "cookies", prefix: "fetch.")
        rules.referer = reader.headerValue(table, "referer", prefix: "fetch.")
        if let flag = reader.bool(table, "robots", prefix: "fetch.") { rules.obeysRobots = flag }
        rules.hostGap = reader.duration(table, "host_gap", prefix: "fetch.", example: "2s or 1m")
        return rules
    }

    static func filterRules(_ table: TOMLTable, reader: inout TableReader) -> FilterRules {
        reader.checkKeys(table, known: knownFilterKeys, prefix: "filter.", elsewhere: tables)
        var rules = FilterRules()
        rules.include = patterns(table, "include", reader: &reader)
        rules.exclude = patterns(table, "exclude", reader: &reader)
        rules.minWords = reader.positiveInt(table, "min_words", prefix: "filter.")
        return rules
    }

    /// A pattern, or a list of them; each a string (every field) or `{ field = "pattern" }`.
    static func patterns(_ table: TOMLTable, _ key: String, reader: inout TableReader) -> [FilterPattern] {
        guard let value = table[key] else { return [] }
        let items = value.array ?? [value]
        var patterns: [FilterPattern] = []
        for (index, item) in items.enumerated() {
            let name = value.array == nil ? "filter.\(key)" : "filter.\(key)[\(index)]"
            var found: [FilterPattern] = []
            if let text = item.string {
                found = [FilterPattern(text)]
            } else if let fields = item.table, !fields.keys.isEmpty {
                for field in fields.keys {
                    guard let kind = FilterPattern.Field(rawValue: field) else {
                        let known = FilterPattern.Field.allCases.map(\.rawValue)
                        let hint = KeySuggestion.closest(to: field, among: known).map { "; did you mean '\($0)'?" } ?? " (known: \(known.joined(separator: ", ")))"
                        reader.report(name, "unknown field '\(field)'\(hint)")
                        continue
                    }
                    guard let text = fields[field]?.string else { reader.report(name, "the pattern for \(field) must be a string"); continue }
                    found.append(FilterPattern(text, fields: [kind]))
                }
            } else {
                reader.report(name, "must be a regular expression, or a table such as { title = \"(?i)sport\" }")
            }
            for pattern in found {
                if let problem = FilterPattern.problem(pattern.pattern) { reader.report(name, problem) } else { patterns.append(pattern) }
            }
        }
        return patterns
    }

    static func resolveURL(_ text: String, key: String, baseDirectory: URL, reader: inout TableReader) -> URL? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            guard let url = URL(string: trimmed), url.host != nil else {
                reader.report(key, "'\(text)' is not a valid URL")
                return nil
            }
            return url
        }
        if trimmed.hasPrefix("file:") {
            // file:relative/path is relative to the feeds folder; file:///abs is absolute.
            let path = String(trimmed.dropFirst("file:".count))
            if path.hasPrefix("//") {
                guard let url = URL(string: trimmed) else {
                    reader.report(key, "'\(text)' is not a valid file URL")
                    return nil
                }
                return url
            }
            return baseDirectory.appendingPathComponent(path).standardizedFileURL
        }
        reader.report(key, "'\(text)' must start with http://, https:// or file:")
        return nil
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

    /// The shortest way to write `seconds` back: `90s`, `15m`, `2h`, `1d`.
    public static func text(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds < 1e12 else { return "\(seconds)s" }
        for (unit, size) in [("d", 86400.0), ("h", 3600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
