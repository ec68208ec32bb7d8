/// Reads TOML 1.0 text into a `TOMLTable`. Written for Tidings' own files (sources and
/// settings) so that a malformed file is always an error naming the line, never a crash:
/// the C++ parser behind TOMLKit aborted on inputs as small as `c = 1979-05-27Tx`.
struct TOMLParser {
    private var scanner: TOMLScanner
    private var builder = TOMLDocumentBuilder()

    static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        try parseCountingWork(text).table
    }

    /// The table and the work it took: bytes scanned plus the builder's steps. Both are
    /// linear in the text by construction; the tests hold the parser to it.
    static func parseCountingWork(_ text: String) throws(TOMLSyntaxError) -> (table: TOMLTable, work: Int) {
        var parser = TOMLParser(scanner: TOMLScanner(text))
        let table = try parser.document()
        return (table, parser.scanner.index + parser.scanner.inlineTableWork + parser.builder.work)
    }

    private mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        while true {
            scanner.skipBlanks()
            guard let byte = scanner.peek() else { break }
            switch byte {
            case .hash, .newline, .carriageReturn:
                try scanner.endOfLine()
            case .openBracket:
                try header()
            default:
                let line = scanner.line
                let key = try scanner.key()
                let depth = builder.currentDepth + key.count - 1
                try scanner.checkDepth(depth)
                scanner.skipBlanks()
                try scanner.expect(.equals, "'=' after the key")
                scanner.skipBlanks()
                let value = try scanner.value(depth: depth)
                try builder.assign(key, value, line: line)
                try scanner.endOfLine()
            }
        }
        return builder.root()
    }

    private mutating func header() throws(TOMLSyntaxError) {
        let line = scanner.line
        scanner.advance()
        let isArray = scanner.peek() == .openBracket
        if isArray { scanner.advance() }
        scanner.skipBlanks()
        let path = try scanner.key()
        scanner.skipBlanks()
        try scanner.expect(.closeBracket, isArray ? "']]' to close the table header" : "']' to close the table header")
        if isArray { try scanner.expect(.closeBracket, "']]' to close the table header") }
        if isArray {
            try builder.arrayTable(path, line: line)
        } else {
            try builder.table(path, line: line)
        }
        try scanner.endOfLine()
    }
}
