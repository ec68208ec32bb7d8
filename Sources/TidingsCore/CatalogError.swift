/// A problem in a `feeds/*.toml` or `tidings.toml` file, naming the file and the key.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var message: String

    public init(file: String, key: String? = nil, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(file): key '\(key)': \(message)" }
        return "\(file): \(message)"
    }
}

/// Every problem found in one file (never empty), so that all of them can be reported at once.
public struct FileProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [CatalogError]

    public init(_ problems: [CatalogError]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
