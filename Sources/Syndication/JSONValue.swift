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
        var output: [UInt8] = []
        write(into: &output, depth: 0)
        output.append(UInt8(ascii: "\n"))
        return String(decoding: output, as: UTF8.self)
    }

    func write(into output: inout [UInt8], depth: Int) {
        switch self {
        case .string(let s): Self.quote(s, into: &output)
        case .integer(let n): output += String(n).utf8
        case .bool(let b): output += (b ? "true" : "false").utf8
        case .array(let items):
            guard !items.isEmpty else { output += "[]".utf8; return }
            output += "[\n".utf8
            for (i, item) in items.enumerated() {
                Self.indent(depth + 1, into: &output)
                item.write(into: &output, depth: depth + 1)
                output += (i == items.count - 1 ? "\n" : ",\n").utf8
            }
            Self.indent(depth, into: &output)
            output += "]".utf8
        case .object(let pairs):
            guard !pairs.isEmpty else { output += "{}".utf8; return }
            output += "{\n".utf8
            for (i, (key, value)) in pairs.enumerated() {
                Self.indent(depth + 1, into: &output)
                Self.quote(key, into: &output)
                output += ": ".utf8
                value.write(into: &output, depth: depth + 1)
                output += (i == pairs.count - 1 ? "\n" : ",\n").utf8
            }
            Self.indent(depth, into: &output)
            output += "}".utf8
        }
    }

    static func indent(_ depth: Int, into output: inout [UInt8]) {
        for _ in 0..<depth { output += "  ".utf8 }
    }

    /// RFC 8259 §7 string escaping (through `TextEscaper`, so the same characters are
    /// dropped as in the XML formats); U+2028/U+2029 escaped too, for JavaScript.
    private static func quote(_ s: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        TextEscaper.append(s, for: .json, to: &output)
        output.append(UInt8(ascii: "\""))
    }
}
