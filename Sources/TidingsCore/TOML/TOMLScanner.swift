/// The bytes of a TOML text and a position in them: keys, values and the blanks between.
struct TOMLScanner {
    /// Tables, arrays and inline tables nested deeper than this (counting every part of a
    /// dotted key and of a header) are refused, so a hostile file cannot exhaust the stack.
    /// Tidings' own files nest three deep; TOML test suites stay under ten.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private(set) var index = 0
    /// The builder steps of the inline tables read so far (see `TOMLDocumentBuilder.work`).
    private(set) var inlineTableWork = 0
    private(set) var line = 1

    init(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    // MARK: Moving

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < bytes.count {
            if bytes[index] == .newline { line += 1 }
            index += 1
        }
    }

    func error(_ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line, message: message)
    }

    private func starts(with text: String) -> Bool {
        bytes[index...].starts(with: text.utf8)
    }

    mutating func skipBlanks() {
        while let byte = peek(), byte == .space || byte == .tab { advance() }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(TOMLSyntaxError) {
        guard peek() == byte else { throw error("expected \(what)") }
        advance()
    }

    /// What may follow a value or a header: blanks, a comment, then a newline or the end.
    mutating func endOfLine() throws(TOMLSyntaxError) {
        skipBlanks()
        if peek() == .hash { try comment() }
        switch peek() {
        case nil: return
        case .newline?: advance()
        case .carriageReturn? where peek(1) == .newline: advance(2)
        case let byte?: throw error("unexpected \(Self.describe(byte)) after the value (one key = value a line)")
        }
    }

    private mutating func comment() throws(TOMLSyntaxError) {
        while let byte = peek(), byte != .newline, !(byte == .carriageReturn && peek(1) == .newline) {
            if Self.isControl(byte) && byte != .tab { throw error("control character in a comment") }
            advance()
        }
    }

    /// Blanks, newlines and comments, as arrays allow between their items.
    private mutating func skipWhitespaceAndComments() throws(TOMLSyntaxError) {
        while let byte = peek() {
            switch byte {
            case .space, .tab, .newline: advance()
            case .carriageReturn where peek(1) == .newline: advance(2)
            case .hash: try comment()
            default: return
            }
        }
    }

    // MARK: Keys

    /// A bare, quoted or dotted key, as its parts (at most `maximumDepth`).
    mutating func key() throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            skipBlanks()
            guard parts.count < Self.maximumDepth else {
                throw error("a key of more than \(Self.maximumDepth) dotted parts (nested more than \(Self.maximumDepth) deep)")
            }
            parts.append(try simpleKey())
            skipBlanks()
            guard peek() == .dot else { return parts }
            advance()
        }
    }

    private mutating func simpleKey() throws(TOMLSyntaxError) -> String {
        switch peek() {
        case .quote?:
            if starts(with: "\"\"\"") { throw error("a multi-line string cannot be a key") }
            return try basicString()
        case .apostrophe?:
            if starts(with: "'''") { throw error("a multi-line string cannot be a key") }
            return try literalString()
        case let byte? where Self.isBareKey(byte):
            let start = index
            while let byte = peek(), Self.isBareKey(byte) { advance() }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        case let byte?:
            throw error("expected a key, found \(Self.describe(byte))")
        case nil:
            throw error("expected a key, found the end of the file")
        }
    }

    // MARK: Values

    /// A value that sits `depth` tables or arrays deep.
    mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = peek() else { throw error("missing value after '='") }
        switch byte {
        case .quote:
            return .string(starts(with: "\"\"\"") ? try multilineString(literal: false) : try basicString())
        case .apostrophe:
            return .string(starts(with: "'''") ? try multilineString(literal: true) : try literalString())
        case .openBracket:
            try checkDepth(depth + 1)
            return try array(depth: depth + 1)
        case .openBrace:
            try checkDepth(depth + 1)
            return try inlineTable(depth: depth + 1)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if try keyword("true") { return .boolean(true) }
            if try keyword("false") { return .boolean(false) }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try numberOrDate()
        default:
            break
        }
        throw error("expected a value (string, number, true, false, date, array or inline table), found \(Self.describe(byte))")
    }

    func checkDepth(_ depth: Int) throws(TOMLSyntaxError) {
        guard depth <= Self.maximumDepth else { throw error("tables, arrays or inline tables nested more than \(Self.maximumDepth) deep") }
    }

    private mutating func keyword(_ word: String) throws(TOMLSyntaxError) -> Bool {
        guard starts(with: word) else { return false }
        let after = index + word.utf8.count
        if after < bytes.count, Self.isBareKey(bytes[after]) { return false }
        advance(word.utf8.count)
        return true
    }

    private mutating func array(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        advance()
        var items: [TOMLValue] = []
        while true {
            try skipWhitespaceAndComments()
            if peek() == .closeBracket { advance(); return .array(items) }
            items.append(try value(depth: depth))
            try skipWhitespaceAndComments()
            switch peek() {
            case .comma?: advance()
            case .closeBracket?: advance(); return .array(items)
            case let byte?: throw error("expected ',' or ']' in the array, found \(Self.describe(byte))")
            case nil: throw error("the array is not closed with ']'")
            }
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        advance()
        var table = TOMLDocumentBuilder()
        skipBlanks()
        if peek() == .closeBrace { advance(); return .table(table.root()) }
        while true {
            let key = try key()
            try checkDepth(depth + key.count - 1)
            skipBlanks()
            try expect(.equals, "'=' after the key")
            skipBlanks()
            try table.assign(key, try value(depth: depth + key.count - 1), line: line)
            skipBlanks()
            switch peek() {
            case .comma?: advance()
            case .closeBrace?:
                advance()
                defer { inlineTableWork += table.work }
                return .table(table.root())
            case .newline?, .carriageReturn?, nil: throw error("an inline table must be closed with '}' on the same line")
            case let byte?: throw error("expected ',' or '}' in the inline table, found \(Self.describe(byte))")
            }
        }
    }

    // MARK: Bytes

    static func isBareKey(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case .newline, .carriageReturn: return "the end of the line"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "byte 0x\(String(byte, radix: 16))"
        }
    }
}

extension UInt8 {
    static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " "), hash = UInt8(ascii: "#"), dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
}
