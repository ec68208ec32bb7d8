import Foundation
import Testing
import TidingsCore

@Suite("Source files that must not break a run")
struct SourceValidationTests {
    let base = URL(fileURLWithPath: "/srv/tidings/feeds", isDirectory: true)
    let url = #"url = "https://news.example.com/""#

    func problems(_ text: String, file: String = "news.toml", minimumEvery: TimeInterval = SourceParser.defaultMinimumEvery) -> [CatalogError] {
        switch SourceParser.parse(fileName: file, text: text, baseDirectory: base, minimumEvery: minimumEvery) {
        case .success: return []
        case .failure(let found): return found.problems
        }
    }

    @Test("a file named like an output file or a server path is refused with the reason", arguments: [
        "all.toml", "index.toml", "feeds.toml", "status.toml", "healthz.toml", "metrics.toml", "refresh.toml", "ALL.toml",
    ])
    func reservedIDs(file: String) {
        let found = problems(url, file: file)
        #expect(found.count == 1)
        #expect(found.first?.file == file)
        #expect(found.first?.message.contains("reserved") == true)
    }

    @Test("ids that are not safe file names are refused", arguments: [
        ".hidden.toml", "-rf.toml", "two words.toml", "tab\there.toml", "new\nline.toml", "back\\slash.toml", "a:b.toml",
    ])
    func unsafeIDs(file: String) {
        #expect(problems(url, file: file).count == 1, "\(file)")
    }

    @Test("ids in any script, with dots, dashes and underscores, are fine", arguments: ["新华网.toml", "bbc.world_news-2.toml", "ü.toml"])
    func goodIDs(file: String) {
        #expect(problems(url, file: file).isEmpty)
    }

    @Test("a reserved file among good ones: the good sources still load")
    func reservedAmongGood() {
        let catalog = Catalog.parse(files: [("all.toml", url), ("news.toml", url), ("status.toml", url), ("world.toml", url)],
                                    baseDirectory: base)
        #expect(catalog.sources.map(\.id) == ["news", "world"])
        #expect(catalog.failedFiles == ["all.toml", "status.toml"])
    }

    @Test("two files whose names differ only in case are not both loaded")
    func caseCollision() {
        let catalog = Catalog.parse(files: [("News.toml", url), ("news.toml", url)], baseDirectory: base)
        #expect(catalog.sources.count == 1)
        #expect(catalog.errors.first?.message.contains("differ only in case") == true)
    }

    @Test("line breaks and control characters in header values are refused, naming the key", arguments: [
        ("cookies = \"a=1\\r\\nX-Injected: yes\"", "fetch.cookies"),
        ("referer = \"https://news.example.com/\\nHost: evil.example\"", "fetch.referer"),
        ("headers = { \"Accept-Language\" = \"zh\\r\\nX-Injected: yes\" }", "fetch.headers.Accept-Language"),
        ("headers = { \"X-A\\r\\nX-B\" = \"1\" }", "fetch.headers.X-A\r\nX-B"),
        ("headers = { \"X A\" = \"1\" }", "fetch.headers.X A"),
        ("cookies = \"a=1\\u0000\"", "fetch.cookies"),
        ("referer = \"https://e.com/\\u0085\"", "fetch.referer"),
    ])
    func headerInjection(line: String, key: String) {
        let found = problems(url + "\n[fetch]\n" + line + "\n")
        #expect(found.map(\.key) == [key], "\(found)")
    }

    @Test("a tab and non-ASCII text stay allowed in header values")
    func allowedHeaderValues() {
        #expect(problems(url + "\n[fetch]\ncookies = \"a=1;\\tb=2\"\nheaders = { \"Accept-Language\" = \"zh-CN,zh;q=0.9\", \"X-Note\" = \"café\" }\n").isEmpty)
    }

    @Test("user_agent and refresh_token in tidings.toml are refused with line breaks too")
    func settingsHeaderInjection() {
        guard case .failure(let found) = Settings.parse(text: "user_agent = \"A\\r\\nX: y\"\nrefresh_token = \"t\\nX: y\"\n", fileName: "tidings.toml") else {
            Issue.record("accepted")
            return
        }
        #expect(found.problems.map(\.key) == ["user_agent", "refresh_token"])
    }

    @Test("every problem of a file is reported at once")
    func allProblemsAtOnce() {
        let text = """
            url = "ftp://news.example.com/"
            evry = "1h"
            language = "en_GB"
            keep = 0
            [fetch]
            cookies = "a\\nb"
            robots = "no"
            [extract]
            contnet = "#body"
            """
        let found = problems(text)
        #expect(Set(found.map(\.key)) == ["evry", "url", "language", "keep", "fetch.cookies", "fetch.robots", "extract.contnet"])
        #expect(found.count == 7)
        #expect(found.allSatisfy { $0.file == "news.toml" })
    }

    @Test("a misspelt key gets the closest known key; a key of another table says where it belongs", arguments: [
        ("evry = \"1h\"", "did you mean 'every'?"),
        ("tiemzone = \"UTC\"", "did you mean 'timezone'?"),
        ("Title = \"x\"", "did you mean 'title'?"),
        ("links = \"a\"", "belongs in [discover]"),
        ("[discover]\nlimt = 3", "did you mean 'discover.limit'?"),
        ("[fetch]\nhost-gap = \"2s\"", "did you mean 'fetch.host_gap'?"),
        ("[extract]\nremvoe = []", "did you mean 'extract.remove'?"),
    ])
    func didYouMean(line: String, hint: String) {
        let found = problems(url + "\n" + line + "\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains(hint) == true, "\(found)")
    }

    @Test("an unrelated unknown key lists the known keys instead of guessing")
    func noWildGuess() {
        let found = problems(url + "\ncolour = \"red\"\n")
        #expect(found.first?.message.contains("known:") == true, "\(found)")
    }

    @Test("an interval below the floor is refused; the floor is one minute unless lowered", arguments: [
        ("1s", 60.0, false), ("59s", 60.0, false), ("1m", 60.0, true), ("2h", 60.0, true), ("5s", 1.0, true), ("0.5s", 1.0, false),
        ("400d", 60.0, false),
    ])
    func intervalFloor(every: String, floor: TimeInterval, accepted: Bool) {
        let found = problems(url + "\nevery = \"\(every)\"\n", minimumEvery: floor)
        #expect(found.isEmpty == accepted, "\(found)")
        if !accepted { #expect(found.map(\.key) == ["every"]) }
    }

    @Test("language tags must be well-formed BCP 47", arguments: [
        ("en", true), ("zh-CN", true), ("zh-Hant-TW", true), ("sr-Latn-RS", true), ("de-CH-1996", true), ("es-419", true),
        ("x-private", true), ("en-US-x-twain", true), ("yue-HK", true),
        ("english", false), ("en_GB", false), ("zh-", false), ("e", false), ("123", false), ("en--US", false),
        ("zh CN", false), ("en-a", false), ("en-a-bb-a-cc", false), ("x", false), ("toolongtag1", false),
    ])
    func languageTags(tag: String, wellFormed: Bool) {
        #expect(LanguageTagSyntax.problem(tag) == nil ? wellFormed : !wellFormed, "\(tag)")
        #expect(problems(url + "\nlanguage = \"\(tag)\"\n").isEmpty == wellFormed)
    }

    @Test("an underscore tag gets the hyphenated form as a suggestion")
    func languageSuggestion() {
        #expect(LanguageTagSyntax.problem("zh_CN")?.contains("did you mean 'zh-CN'?") == true)
    }

    @Test("[filter] reads patterns for every field or for one, and min_words")
    func filterTable() throws {
        let text = url + """

            [filter]
            include = "(?i)climate"
            exclude = ["(?i)sponsored", { url = "/video/" }, { title = "^Live:", author = "Desk" }]
            min_words = 120
            """
        let filter = try SourceParser.parse(fileName: "news.toml", text: text, baseDirectory: base).get().filter
        #expect(filter.include == [FilterPattern("(?i)climate")])
        #expect(filter.exclude.map(\.pattern) == ["(?i)sponsored", "/video/", "^Live:", "Desk"])
        #expect(filter.exclude.map(\.fields) == [FilterPattern.Field.allCases, [.url], [.title], [.author]])
        #expect(filter.minWords == 120)
    }

    @Test("a broken [filter] names the key and the cause", arguments: [
        ("include = \"(unclosed\"", "filter.include"),
        ("exclude = [\"ok\", \"[z-a]\"]", "filter.exclude[1]"),
        ("exclude = [{ headline = \"x\" }]", "filter.exclude[0]"),
        ("include = 3", "filter.include"),
        ("min_words = -1", "filter.min_words"),
        ("include = \"\"", "filter.include"),
    ])
    func brokenFilter(line: String, key: String) {
        let found = problems(url + "\n[filter]\n" + line + "\n")
        #expect(found.map(\.key) == [key], "\(found)")
    }

    @Test("tidings.toml reports every problem, with suggestions, and reads log_level and min_every")
    func settingsProblems() throws {
        guard case .failure(let found) = Settings.parse(text: "outptu = \"x\"\nconcurrency = 0\nlog_level = \"warn\"\nevery = \"5m\"\n", fileName: "tidings.toml") else {
            Issue.record("accepted")
            return
        }
        #expect(found.problems.map(\.key) == ["outptu", "every", "concurrency", "log_level"])
        #expect(found.problems[0].message.contains("did you mean 'output'?"))
        #expect(found.problems[1].message.contains("belongs in a feeds file"))
        #expect(found.problems[3].message.contains("did you mean 'warning'?"))
        let good = try Settings.parse(text: "log_level = \"Debug\"\nmin_every = \"10s\"\n", fileName: "tidings.toml").get()
        #expect(good.logLevel == "debug")
        #expect(good.minimumEvery == 10)
    }
}
