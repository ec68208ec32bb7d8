import Foundation
import TestSupport
import Testing
@testable import TidingsCore

@Suite("TOML parser")
struct TOMLParserTests {
    static func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text) }

    static func failure(_ text: String) -> TOMLSyntaxError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("every kind of TOML 1.0 value, key and table is read")
    func wholeLanguage() throws {
        let table = try Self.parse(#"""
            # a comment
            title = "Qingxi \"News\"\t\u00E9\U0001F600" # trailing comment
            literal = 'C:\path\*'
            multi = """
            first \
                second
            third"""""
            raw = '''
            kept \n as is'''
            "quoted key" = 1
            'literal key' = -0
            site.name.short = "QX"
            ints = [+17, 1_000, 0xDEAD_beef, 0o755, 0b1101]
            floats = [3.14, -1e-3, 6.626E+34, 1_0.5, inf, -inf, nan]
            flags = [true, false]
            dates = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999-07:00, 1979-05-27 07:32:00, 1979-05-27, 07:32:00.5]
            nested = [ [1, 2], ["a"], { x = 1, y.z = 2 }, ]  # trailing comma and newlines allowed
            inline = { a = "b", c = { d = 1 } }

            [fetch]
            headers = { "X-Token" = "t" }

            [fetch.more]
            gap = 2

            [[rules]]
            name = "one"
            [rules.when]
            path = "/a"

            [[rules]]
            name = "two"
            """#)
        #expect(table.keys == ["title", "literal", "multi", "raw", "quoted key", "literal key", "site", "ints", "floats",
                               "flags", "dates", "nested", "inline", "fetch", "rules"])
        #expect(table["title"]?.string == "Qingxi \"News\"\té😀")
        #expect(table["literal"]?.string == #"C:\path\*"#)
        #expect(table["multi"]?.string == "first second\nthird\"\"")
        #expect(table["raw"]?.string == #"kept \n as is"#)
        #expect(table["quoted key"]?.int == 1)
        #expect(table["literal key"]?.int == 0)
        #expect(table["site"]?.table?["name"]?.table?["short"]?.string == "QX")
        #expect(table["ints"]?.array?.compactMap(\.int) == [17, 1000, 0xDEADBEEF, 0o755, 0b1101])
        let floats = (table["floats"]?.array ?? []).compactMap(\.double)
        #expect(floats.prefix(6) == [3.14, -1e-3, 6.626e34, 10.5, .infinity, -.infinity])
        #expect(floats.count == 7 && floats[6].isNaN)
        #expect(table["flags"]?.array == [.boolean(true), .boolean(false)])
        #expect(table["dates"]?.array == ["1979-05-27T07:32:00Z", "1979-05-27T00:32:00.999-07:00", "1979-05-27 07:32:00",
                                          "1979-05-27", "07:32:00.5"].map(TOMLValue.dateTime))
        let nested = try #require(table["nested"]?.array)
        #expect(nested.count == 3)
        #expect(nested[2].table?["y"]?.table?["z"]?.int == 2)
        #expect(table["inline"]?.table?["c"]?.table?["d"]?.int == 1)
        #expect(table["fetch"]?.table?["headers"]?.table?["X-Token"]?.string == "t")
        #expect(table["fetch"]?.table?["more"]?.table?["gap"]?.int == 2)
        let rules = (table["rules"]?.array ?? []).compactMap(\.table)
        try #require(rules.count == 2)
        #expect(rules.map { $0["name"]?.string } == ["one", "two"])
        #expect(rules[0]["when"]?.table?["path"]?.string == "/a")
        #expect(rules[1]["when"] == nil)
    }

    @Test("Windows line ends, a byte order mark and an empty file are fine")
    func lineEnds() throws {
        let table = try Self.parse("\u{FEFF}a = 1\r\n[b]\r\nc = \"\"\"\r\nx\r\n\"\"\"\r\n")
        #expect(table["a"]?.int == 1)
        #expect(table["b"]?.table?["c"]?.string == "x\r\n")
        #expect(try Self.parse("").keys.isEmpty)
        #expect(try Self.parse("# only a comment\n\n").keys.isEmpty)
    }

    @Test("broken text is an error naming its line", arguments: [
        ("a = 1\n[[[", 2), ("[a.]", 1), ("[]", 1), ("[ bad key ]", 1), ("[a]]", 1), ("[[a]", 1),
        ("a = ", 1), ("a = \"open", 1), ("a = 'open", 1), ("x = 1\na = \"\"\"\nnever closed", 2), ("a = [1, 2", 1),
        ("a = [1 2]", 1), ("a = { b = 1", 1), ("a = { b = 1, }", 1), ("a = {\nb = 1 }", 1), ("a = 1 b = 2", 1),
        ("= 1", 1), ("a.b. = 1", 1), ("a = \"\\q\"", 1), ("a = \"\\u12\"", 1), ("a = \"\\uD800\"", 1),
        ("a = 01", 1), ("a = 1__0", 1), ("a = _1", 1), ("a = 0x", 1), ("a = 1.", 1), ("a = .5", 1), ("a = 1e", 1),
        ("a = 99999999999999999999", 1), ("a = +0x10", 1), ("a = infinity", 1), ("a = tru", 1), ("a = truex", 1),
        ("a = 1979-05-27Ty7:32:00Z", 1), ("a = 1979-13-27", 1), ("a = 1979-02-30", 1), ("a = 25:00:00", 1), ("a = 1979-05-27T07:32", 1),
        ("a = 1979-05-27T07:32:00+8:00", 1), ("a = \"tab\u{1}\"", 1), ("a = 1\r", 1), ("a = 1 # bell \u{7}", 1),
        ("\n\na = \"\"\"\"\"\"\"\"\"", 3), ("a = '''x''''''", 1), ("\"\"\"k\"\"\" = 1", 1), ("a = [[[[[", 1), ("d = [1, [\n}'a2, 3]]", 2),
    ])
    func brokenText(text: String, line: Int) {
        let error = Self.failure(text)
        #expect(error?.line == line, "\(String(describing: error))")
    }

    @Test("what TOML forbids between lines is an error too", arguments: [
        ("a = 1\na = 2", "given twice"), ("[t]\n[t]", "defined twice"), ("a = { b = 1 }\n[a]", "defined twice"),
        ("a = { b = 1 }\na.c = 2", "cannot be added to"), ("a = []\n[[a]]", "already holds a value"),
        ("a = 1\n[a]", "already holds a value"), ("a = 1\na.b = 2", "already holds a value"),
        ("[t.u]\n[t]\nu.v = 1", "own [header]"), ("[[r]]\n[r]", "already holds a value"), ("a.b.c = 1\n[a.b]", "defined twice"),
    ])
    func forbiddenStructure(text: String, message: String) {
        let error = Self.failure(text)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.line == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test("deeply nested arrays are refused instead of exhausting the stack")
    func deepNesting() {
        let error = Self.failure("a = " + String(repeating: "[", count: 100_000))
        #expect(error?.message.contains("nested more than") == true)
    }

    /// Work the parser may spend per byte of text: one scan of each byte plus one builder
    /// step per key part and per entry stored, each part and entry taking at least two bytes.
    static let workPerByte = 2

    static func expectLinearWork(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> TOMLTable {
        let (table, work) = try TOMLParser.parseCountingWork(text)
        #expect(work <= Self.workPerByte * text.utf8.count, "work \(work) for \(text.utf8.count) bytes", sourceLocation: sourceLocation)
        return table
    }

    @Test("a 50,000-part dotted key in a 100 KB file is an error naming its line, not a stack overflow")
    func hugeDottedKey() {
        let key = (0..<50_000).map { _ in "k" }.joined(separator: ".")
        let text = "title = \"x\"\n" + key + " = 1\n"
        #expect(text.utf8.count > 100_000)
        let error = Self.failure(text)
        #expect(error?.line == 2)
        #expect(error?.message.contains("more than 64 dotted parts") == true, "\(String(describing: error))")
        // The same file as a source and as tidings.toml (what `tidings check` and SIGHUP read).
        guard case .failure(let sourceError) = SourceParser.parse(fileName: "deep.toml", text: text, baseDirectory: URL(fileURLWithPath: "/")),
              case .failure(let settingsError) = Settings.parse(text: text, fileName: "tidings.toml") else {
            Issue.record("a 50,000-part key was accepted")
            return
        }
        #expect(sourceError.description.contains("deep.toml") && sourceError.description.contains("line 2"), "\(sourceError)")
        #expect(settingsError.description.contains("tidings.toml") && settingsError.description.contains("line 2"), "\(settingsError)")
    }

    @Test("100,000 [table] headers parse in linear work")
    func manyTables() throws {
        let text = (0..<100_000).map { "[t\($0)]\nv = \($0)\n" }.joined()
        let table = try Self.expectLinearWork(text)
        #expect(table.keys.count == 100_000)
        #expect(table["t99999"]?.table?["v"]?.int == 99_999)
    }

    @Test("50,000 [[array]] tables with sub-tables, 100,000 dotted keys under one header and inline tables parse in linear work")
    func manyArrayTablesAndKeys() throws {
        let arrays = try Self.expectLinearWork((0..<50_000).map { "[[rule]]\nn = \($0)\n[rule.when]\np = \($0)\n" }.joined())
        #expect(arrays["rule"]?.array?.count == 50_000)
        #expect(arrays["rule"]?.array?.last?.table?["when"]?.table?["p"]?.int == 49_999)
        let keys = try Self.expectLinearWork("[fetch.headers]\n" + (0..<100_000).map { "a.k\($0) = \($0)\n" }.joined())
        #expect(keys["fetch"]?.table?["headers"]?.table?["a"]?.table?.keys.count == 100_000)
        let deepHeaders = try Self.expectLinearWork((0..<20_000).map { "[a.b.c.d.e.f.g.h.i\($0)]\nx.y.z = 1\n" }.joined())
        #expect(deepHeaders["a"]?.table?["b"]?.table?["c"]?.table?["d"]?.table?["e"]?.table?["f"]?.table?["g"]?.table?["h"]?.table?.keys.count == 20_000)
        let inline = try Self.expectLinearWork("x = [" + (0..<50_000).map { "{ a.b = \($0), c = [1, { d = 2 }] }" }.joined(separator: ", ") + "]\n")
        #expect(inline["x"]?.array?.count == 50_000)
    }

    static func dotted(_ part: String, _ count: Int) -> String {
        Array(repeating: part, count: count).joined(separator: ".")
    }

    /// A hostile text too large to print in a test name.
    struct Hostile: CustomTestStringConvertible, Sendable {
        var label: String
        var text: String
        var line: Int
        var testDescription: String { label }
    }

    static let tooDeep: [Hostile] = [
        Hostile(label: "a 65-part header", text: "[" + dotted("a", 65) + "]", line: 1),
        Hostile(label: "a 6-part key under a 60-part header", text: "[" + dotted("a", 60) + "]\n" + dotted("b", 6) + " = 1", line: 2),
        Hostile(label: "5 arrays under a 60-part header", text: "[" + dotted("a", 60) + "]\nb = [[[[[1]]]]]", line: 2),
        Hostile(label: "100,000 open inline tables", text: "a = " + String(repeating: "{ b = ", count: 100_000), line: 1),
        Hostile(label: "50,000 open arrays of inline tables", text: "a = " + String(repeating: "[{ b = ", count: 50_000), line: 1),
        Hostile(label: "two 40-part keys in nested inline tables",
                text: "a = { " + dotted("b", 40) + " = { " + dotted("c", 40) + " = 1 } }", line: 1),
    ]

    @Test("depth counts every table on the way: header parts, dotted keys, arrays and inline tables together",
          arguments: tooDeep)
    func depthLimit(hostile: Hostile) {
        let error = Self.failure(hostile.text)
        #expect(error?.line == hostile.line, "\(String(describing: error))")
        #expect(error?.message.contains("more than 64") == true, "\(String(describing: error))")
    }

    @Test("nesting up to the limit is accepted")
    func depthAtTheLimit() throws {
        let header = "[" + Self.dotted("a", 60) + "]\nb.c.d = [[1]]\n"
        let inline = "x = " + String(repeating: "{ y = ", count: 63) + "1" + String(repeating: " }", count: 63) + "\n"
        let table = try Self.parse(inline + header)
        var inner = table
        for _ in 0..<60 { inner = inner["a"]?.table ?? TOMLTable() }
        #expect(inner["b"]?.table?["c"]?.table?["d"]?.array?.first?.array?.first?.int == 1)
    }

    @Test("random damage to real files never crashes the parser and always names a line of the file")
    func randomDamage() throws {
        let feeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("feeds")
        let seeds = [try String(contentsOf: feeds.appendingPathComponent("sample.toml"), encoding: .utf8)] + [#"""
               a = """multi
               line"""
               b = 'lit'
               c = 1979-05-27T07:32:00Z
               d = [1, [2, 3], {x = 1}]
               [[rules]]
               e = 1e10
               f = inf
               [t.u."v w"]
               g = 0x1F
               [fetch]
               headers = { "X-A" = "b" }
               """#]
        let alphabet = Array("[]{}\"'=.,#\n\\ \t019azTZ:-+_eE\u{0}\u{FF}".unicodeScalars)
        var random = SeededRandom(seed: 0x70_6D_6C)
        var failures = 0
        for round in 0..<4000 {
            var scalars = Array(seeds[round % seeds.count].unicodeScalars)
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let position = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: scalars.insert(alphabet.randomElement(using: &random)!, at: position)
                case 1 where position < scalars.count: scalars.remove(at: position)
                default: if position < scalars.count { scalars[position] = alphabet.randomElement(using: &random)! }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if let error = Self.failure(text) {
                failures += 1
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect((1...lines).contains(error.line), "line \(error.line) of \(lines) for \(text.debugDescription)")
            }
        }
        #expect(failures > 1000)  // the damage does break most files: the parser saw broken input
    }
}
