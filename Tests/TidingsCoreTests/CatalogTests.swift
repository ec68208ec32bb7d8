import Foundation
import Testing
import TidingsCore

@Suite("Source files")
struct CatalogTests {
    let base = URL(fileURLWithPath: "/srv/tidings/feeds", isDirectory: true)

    @Test("a complete source file gives every field")
    func complete() throws {
        let text = """
            title    = "Example News · Science"
            url      = "https://news.example.com/science/"
            every    = "15m"
            language = "zh-CN"
            timezone = "Asia/Shanghai"
            keep     = 20

            [discover]
            links = "div.news-list a"
            sitemap = "https://news.example.com/news-sitemap.xml"

            [extract]
            content = "#article-body"
            remove  = [".share", ".related"]
            """
        let source = try SourceParser.parse(fileName: "example-news.toml", text: text, baseDirectory: base).get()
        #expect(source.id == "example-news")
        #expect(source.title == "Example News · Science")
        #expect(source.url.absoluteString == "https://news.example.com/science/")
        #expect(source.every == 900)
        #expect(source.timeZone == "Asia/Shanghai")
        #expect(source.keep == 20)
        #expect(source.discover.links == "div.news-list a")
        #expect(source.discover.sitemap?.absoluteString == "https://news.example.com/news-sitemap.xml")
        #expect(source.extract.content == "#article-body")
        #expect(source.extract.remove == [".share", ".related"])
    }

    @Test("the [fetch] table sets headers, cookies, referer, robots opt-out and host gap")
    func fetchTable() throws {
        let text = """
            url = "https://news.example.com/"
            [fetch]
            headers = { "Accept-Language" = "zh-CN" }
            cookies = "region=sh"
            referer = "https://news.example.com/"
            robots = false
            host_gap = "3s"
            """
        let fetch = try SourceParser.parse(fileName: "f.toml", text: text, baseDirectory: base).get().fetch
        #expect(fetch.headers == ["Accept-Language": "zh-CN"])
        #expect(fetch.cookies == "region=sh")
        #expect(fetch.referer == "https://news.example.com/")
        #expect(!fetch.obeysRobots)
        #expect(fetch.hostGap == 3)
    }

    @Test("a URL alone is enough, with sane defaults")
    func urlAlone() throws {
        let source = try SourceParser.parse(fileName: "local.toml", text: #"url = "https://news.example.com/local/""#, baseDirectory: base).get()
        #expect(source.title == "local")
        #expect(source.every == 3600)
        #expect(source.keep == 100)
    }

    @Test("file: URLs are relative to the feeds folder")
    func relativeFile() throws {
        let source = try SourceParser.parse(fileName: "s.toml", text: #"url = "file:sample-site/index.html""#, baseDirectory: base).get()
        #expect(source.url.path == "/srv/tidings/feeds/sample-site/index.html")
        #expect(source.url.isFileURL)
    }

    @Test("broken files name the file and the key", arguments: [
        ("title = \"x\"", "url"),
        ("url = \"ftp://example.com/\"", "url"),
        ("url = \"https://e.com/\"\nevery = \"soon\"", "every"),
        ("url = \"https://e.com/\"\ntimezone = \"Mars/Olympus\"", "timezone"),
        ("url = \"https://e.com/\"\nkeep = -3", "keep"),
        ("url = \"https://e.com/\"\ncolour = \"red\"", "colour"),
        ("url = \"https://e.com/\"\n[extract]\nremove = \".share\"", "extract.remove"),
        ("url = \"https://e.com/\"\n[fetch]\nrobots = \"no\"", "fetch.robots"),
        ("url = \"https://e.com/\"\n[fetch]\nheaders = { \"X-A\" = 3 }", "fetch.headers.X-A"),
        ("url = \"https://e.com/\"\n[fetch]\nhost_gap = \"later\"", "fetch.host_gap"),
        ("url = \"https://e.com/\"\nrender = \"articles\"", "render"),
        ("url = \"https://e.com/\"\nrender = 1", "render"),
    ])
    func broken(text: String, key: String) {
        guard case .failure(let found) = SourceParser.parse(fileName: "bad.toml", text: text, baseDirectory: base) else {
            Issue.record("accepted a broken file: \(text)")
            return
        }
        let error = found.problems[0]
        #expect(found.problems.count == 1)
        #expect(error.file == "bad.toml")
        #expect(error.key == key)
        #expect(error.description.hasPrefix("bad.toml: key '\(key)'"))
    }

    @Test("render = true renders listing and articles, \"listing\" the listing only, false or nothing neither", arguments: [
        ("render = true", RenderMode.all), ("render = \"listing\"", RenderMode.listing), ("render = false", nil), ("", nil),
    ])
    func render(line: String, mode: RenderMode?) throws {
        let source = try SourceParser.parse(fileName: "app.toml", text: "url = \"https://e.com/\"\n\(line)", baseDirectory: base).get()
        #expect(source.render == mode)
        #expect(source.render?.rendersArticles ?? false == (mode == .all))
    }

    @Test("text that is not TOML is refused with the line")
    func notTOML() {
        guard case .failure(let error) = SourceParser.parse(fileName: "bad.toml", text: "url = \"https://e.com/\"\n[[[", baseDirectory: base) else {
            Issue.record("accepted invalid TOML")
            return
        }
        #expect(error.description.contains("not valid TOML"))
        #expect(error.description.contains("line 2"))
    }

    @Test("malformed table headers are refused before they reach the TOML library", arguments: [
        "[[[", "[discover", "[]", "[[extract]", "[a.]", "[ bad key ]"])
    func badHeaders(header: String) {
        let text = "url = \"https://e.com/\"\n" + header + "\n"
        guard case .failure(let error) = SourceParser.parse(fileName: "bad.toml", text: text, baseDirectory: base) else {
            Issue.record("accepted \(header)")
            return
        }
        #expect(error.description.contains("line 2"))
    }

    @Test("one broken file does not stop the others from loading")
    func catalogKeepsGoodFiles() {
        let catalog = Catalog.parse(files: [("a.toml", #"url = "https://a.example/""#), ("b.toml", "nonsense ="),
                                            ("c.toml", #"url = "https://c.example/""#)], baseDirectory: base)
        #expect(catalog.sources.map(\.id) == ["a", "c"])
        #expect(catalog.errors.map(\.file) == ["b.toml"])
    }

    @Test("durations", arguments: [("30s", 30.0), ("15m", 900.0), ("2h", 7200.0), ("1d", 86400.0), ("45", 45.0)])
    func durations(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }
}
