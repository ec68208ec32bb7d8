/// A JSON value whose objects keep their keys in the order written, printed the same way
/// every time (two-space indentation, UTF-8, no escaped slashes).
indirect enum JSONValue {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// An object from optional members: nil values are left out.
    static func members(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    var text: String {
        var output = ""
        write(into: &output, depth: 0)
        output += "\n"
        return output
    }

    private func write(into output: inout String, depth: Int) {
        switch self {
        case .string(let s): Self.quote(s, into: &output)
        case .integer(let n): output += String(n)
        case .bool(let b): output += b ? "true" : "false"
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (i, item) in items.enumerated() {
                output += Self.indent(depth + 1)
                item.write(into: &output, depth: depth + 1)
                output += i == items.count - 1 ? "\n" : ",\n"
            }
            output += Self.indent(depth) + "]"
        case .object(let pairs):
            guard !pairs.isEmpty else { output += "{}"; return }
            output += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                output += Self.indent(depth + 1)
                Self.quote(key, into: &output)
                output += ": "
                value.write(into: &output, depth: depth + 1)
                output += i == pairs.count - 1 ? "\n" : ",\n"
            }
            output += Self.indent(depth) + "}"
        }
    }

    private static func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    /// RFC 8259 §7 string escaping; U+2028/U+2029 escaped too so the output is also valid JavaScript.
    private static func quote(_ s: String, into output: inout String) {
        output += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
