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
