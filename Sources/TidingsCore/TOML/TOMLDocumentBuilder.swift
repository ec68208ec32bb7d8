/// Builds the table tree of a TOML document from its headers and key/value lines, refusing
/// what TOML 1.0 forbids: a key given twice, a table defined twice, adding to an inline table
/// or a static array, and treating a value as a table.
///
/// The tree is built from reference nodes (`TOMLBuildTable`), so a header or a dotted key
/// walks only its own path: no table is copied, and the work is one step per key part plus
/// one per stored entry at the end — linear in the size of the file by construction
/// (`work` counts those steps so the tests can hold the builder to it).
struct TOMLDocumentBuilder {
    private let top = TOMLBuildTable(definition: .implicit)
    /// The table `[header]` lines point at; key/value lines go there.
    private var current: [String] = []
    private var currentTable: TOMLBuildTable
    /// Steps taken so far: one per key part walked, one per entry converted by `root`.
    private(set) var work = 0

    init() { currentTable = top }

    /// How many tables deep the key/value lines that follow sit.
    var currentDepth: Int { current.count }

    /// The finished document as values.
    mutating func root() -> TOMLTable { top.value(work: &work) }

    /// `[path]`
    mutating func table(_ path: [String], line: Int) throws(TOMLSyntaxError) {
        let name = path.joined(separator: ".")
        let (parent, last) = try parentOfHeader(path, line: line)
        let table: TOMLBuildTable
        switch parent[last] {
        case nil:
            table = TOMLBuildTable(definition: .header)
            parent[last] = .table(table)
        case .table(let existing)?:
            guard existing.definition == .implicit else {
                throw TOMLSyntaxError(line: line, message: "table [\(name)] is defined twice")
            }
            existing.definition = .header
            table = existing
        case .value(.table)?:
            throw TOMLSyntaxError(line: line, message: "table [\(name)] is defined twice")
        default:
            throw TOMLSyntaxError(line: line, message: "[\(name)] names a key that already holds a value")
        }
        (current, currentTable) = (path, table)
    }

    /// `[[path]]`
    mutating func arrayTable(_ path: [String], line: Int) throws(TOMLSyntaxError) {
        let (parent, last) = try parentOfHeader(path, line: line)
        let element = TOMLBuildTable(definition: .header)
        switch parent[last] {
        case nil:
            parent[last] = .tableArray(TOMLBuildArray(element))
        case .tableArray(let array)?:
            array.tables.append(element)
        default:
            throw TOMLSyntaxError(line: line, message: "[[\(path.joined(separator: "."))]] names a key that already holds a value")
        }
        (current, currentTable) = (path, element)
    }

    private mutating func parentOfHeader(_ path: [String], line: Int) throws(TOMLSyntaxError) -> (TOMLBuildTable, String) {
        let parent = try descend(from: top, path.dropLast(), createdBy: .implicit, line: line)
        return (parent, path[path.count - 1])
    }

    /// `dotted.key = value` in the current table.
    mutating func assign(_ key: [String], _ value: TOMLValue, line: Int) throws(TOMLSyntaxError) {
        let table = try descend(from: currentTable, key.dropLast(), createdBy: .dottedKeys, line: line)
        let last = key[key.count - 1]
        guard table[last] == nil else {
            throw TOMLSyntaxError(line: line, message: "key '\(key.joined(separator: "."))' is given twice")
        }
        table[last] = .value(value)
    }

    /// Walks `path` from `table`, creating missing tables (defined as `createdBy`), into the
    /// last element of arrays of tables, and returns the table at its end. A walk made of
    /// dotted keys may not enter a table that has its own header.
    private mutating func descend(from table: TOMLBuildTable, _ path: ArraySlice<String>, createdBy: TOMLBuildTable.Definition,
                                  line: Int) throws(TOMLSyntaxError) -> TOMLBuildTable {
        var table = table
        for key in path {
            work += 1
            switch table[key] {
            case nil:
                let child = TOMLBuildTable(definition: createdBy)
                table[key] = .table(child)
                table = child
            case .table(let child)?:
                if createdBy == .dottedKeys && child.definition == .header {
                    throw TOMLSyntaxError(line: line, message: "table '\(key)' has its own [header] and cannot be extended with dotted keys")
                }
                table = child
            case .tableArray(let array)?:
                guard let element = array.tables.last else { throw TOMLSyntaxError(line: line, message: "'\(key)' is not a table") }
                table = element
            case .value(.table)?, .value(.array)?:
                throw TOMLSyntaxError(line: line, message: "'\(key)' was written out in full (inline table or array) and cannot be added to")
            case .value?:
                throw TOMLSyntaxError(line: line, message: "'\(key)' already holds a value, not a table")
            }
        }
        return table
    }
}

/// A table under construction. A class so that walking a path never copies a table.
final class TOMLBuildTable {
    enum Definition {
        /// Made on the way to a header's table (`[a.b]` makes `a`); a later `[a]` may define it.
        case implicit
        case header
        case dottedKeys
    }

    var definition: Definition
    private var keys: [String] = []
    private var entries: [String: TOMLBuildEntry] = [:]

    init(definition: Definition) { self.definition = definition }

    subscript(key: String) -> TOMLBuildEntry? {
        get { entries[key] }
        set {
            if entries[key] == nil { keys.append(key) }
            entries[key] = newValue
        }
    }

    /// The table as a value; recursion is bounded by the scanner's depth limit.
    func value(work: inout Int) -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            work += 1
            switch entries[key] {
            case .table(let child)?: table[key] = .table(child.value(work: &work))
            case .tableArray(let array)?: table[key] = .array(array.tables.map { .table($0.value(work: &work)) })
            case .value(let value)?: table[key] = value
            case nil: break
            }
        }
        return table
    }
}

final class TOMLBuildArray {
    var tables: [TOMLBuildTable]
    init(_ first: TOMLBuildTable) { tables = [first] }
}

enum TOMLBuildEntry {
    case table(TOMLBuildTable)
    case tableArray(TOMLBuildArray)
    /// A scalar, a static array or an inline table: complete as written.
    case value(TOMLValue)
}
