/// A TOML value as our source and settings files use it.
enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// An offset or local date-time, date or time, kept as written (RFC 3339 text).
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var int: Int? { if case .integer(let n) = self { return n }; return nil }
    var double: Double? { if case .float(let x) = self { return x }; return nil }
    var bool: Bool? { if case .boolean(let b) = self { return b }; return nil }
    var array: [TOMLValue]? { if case .array(let items) = self { return items }; return nil }
    var table: TOMLTable? { if case .table(let t) = self { return t }; return nil }
}

/// A TOML table: its keys in the order the file gives them.
struct TOMLTable: Sendable, Hashable {
    private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }
}

/// Why a TOML text could not be read, and where.
struct TOMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    var line: Int
    var message: String

    var description: String { "\(message) at line \(line)" }
}
