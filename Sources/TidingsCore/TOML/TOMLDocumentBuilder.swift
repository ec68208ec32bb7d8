/// Builds the table tree of a TOML document from its headers and key/value lines, refusing
/// what TOML 1.0 forbids: a key given twice, a table defined twice, adding to an inline table
/// or a static array, and treating a value as a table.
struct TOMLDocumentBuilder {
    private(set) var root = TOMLTable()
    /// The table `[header]` lines point at; key/value lines go there.
    private var current: [String] = []
    // Tables and arrays are told apart by their path, with the index of each array-of-tables
    // element on the way (`a\u{1}#0\u{1}b`).
    private var definedByHeader: Set<String> = []
    private var definedByDottedKeys: Set<String> = []
    private var tableArrays: Set<String> = []
    /// Inline tables and static arrays: complete as written.
    private var sealed: Set<String> = []

    /// `[path]`
    mutating func table(_ path: [String], line: Int) throws(TOMLSyntaxError) {
        try header(path, line: line) { table, last, id, state throws(TOMLSyntaxError) in
            switch table[last] {
            case nil:
                table[last] = .table(TOMLTable())
            case .table?:
                if state.definedByHeader.contains(id) || state.definedByDottedKeys.contains(id) || state.sealed.contains(id) {
                    throw TOMLSyntaxError(line: line, message: "table [\(path.joined(separator: "."))] is defined twice")
                }
            default:
                throw TOMLSyntaxError(line: line, message: "[\(path.joined(separator: "."))] names a key that already holds a value")
            }
            state.definedByHeader.insert(id)
        }
    }

    /// `[[path]]`
    mutating func arrayTable(_ path: [String], line: Int) throws(TOMLSyntaxError) {
        try header(path, line: line) { table, last, id, state throws(TOMLSyntaxError) in
            switch table[last] {
            case nil:
                table[last] = .array([.table(TOMLTable())])
                state.tableArrays.insert(id)
            case .array(let items)? where state.tableArrays.contains(id):
                table[last] = .array(items + [.table(TOMLTable())])
            default:
                throw TOMLSyntaxError(line: line, message: "[[\(path.joined(separator: "."))]] names a key that already holds a value")
            }
        }
    }

    /// Runs `body` on the table that holds the header's last key (given with its path id),
    /// then points the key/value lines that follow at the header.
    private mutating func header(_ path: [String], line: Int,
                                 _ body: (inout TOMLTable, _ last: String, _ id: String, inout TOMLDocumentBuilder) throws(TOMLSyntaxError) -> Void)
        throws(TOMLSyntaxError) {
        let last = path[path.count - 1]
        var root = self.root
        try Self.descend(&root, path.dropLast(), id: "", line: line, state: &self) { table, parentID, state throws(TOMLSyntaxError) in
            try body(&table, last, parentID + "\u{1}" + last, &state)
        }
        self.root = root
        current = path
    }

    /// `dotted.key = value` in the current table.
    mutating func assign(_ key: [String], _ value: TOMLValue, line: Int) throws(TOMLSyntaxError) {
        let (parent, last) = (key.dropLast(), key[key.count - 1])
        var root = self.root
        let path = current + parent
        try Self.descend(&root, path[...], id: "", line: line, state: &self, dotted: current.count) { table, id, state throws(TOMLSyntaxError) in
            guard table[last] == nil else {
                throw TOMLSyntaxError(line: line, message: "key '\(key.joined(separator: "."))' is given twice")
            }
            table[last] = value
            switch value {
            case .table, .array: state.sealed.insert(id + "\u{1}" + last)
            default: break
            }
        }
        self.root = root
    }

    /// Walks `path` from `table`, creating missing tables, into the last element of arrays of
    /// tables, and runs `body` on the table at its end. Tables created past the first
    /// `dotted` keys are recorded as defined by dotted keys.
    private static func descend(_ table: inout TOMLTable, _ path: ArraySlice<String>, id: String, line: Int,
                                state: inout TOMLDocumentBuilder, dotted: Int = .max,
                                _ body: (inout TOMLTable, String, inout TOMLDocumentBuilder) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        guard let key = path.first else { return try body(&table, id, &state) }
        let keyID = id + "\u{1}" + key
        let rest = path.dropFirst()
        if state.sealed.contains(keyID) {
            throw TOMLSyntaxError(line: line, message: "'\(key)' was written out in full (inline table or array) and cannot be added to")
        }
        switch table[key] {
        case nil:
            var child = TOMLTable()
            if path.startIndex >= dotted { state.definedByDottedKeys.insert(keyID) }
            try descend(&child, rest, id: keyID, line: line, state: &state, dotted: dotted, body)
            table[key] = .table(child)
        case .table(var child)?:
            if path.startIndex >= dotted && state.definedByHeader.contains(keyID) {
                throw TOMLSyntaxError(line: line, message: "table '\(key)' has its own [header] and cannot be extended with dotted keys")
            }
            try descend(&child, rest, id: keyID, line: line, state: &state, dotted: dotted, body)
            table[key] = .table(child)
        case .array(var items)? where state.tableArrays.contains(keyID):
            guard case .table(var child)? = items.last else { throw TOMLSyntaxError(line: line, message: "'\(key)' is not a table") }
            let elementID = keyID + "\u{1}#\(items.count - 1)"
            try descend(&child, rest, id: elementID, line: line, state: &state, dotted: dotted, body)
            items[items.count - 1] = .table(child)
            table[key] = .array(items)
        default:
            throw TOMLSyntaxError(line: line, message: "'\(key)' already holds a value, not a table")
        }
    }
}
