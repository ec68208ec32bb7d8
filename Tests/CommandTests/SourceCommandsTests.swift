import Foundation
import TestSupport
import Testing

@Suite("tidings add, import and refresh with a bad file")
struct SourceCommandsTests {
    @Test("add shows the first links and the first article, and writes the file only when told to")
    func add() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let declined = try folder.tidings(["add", "--allow-private-networks", folder.listing, "qingxi"], input: "n\n")
        #expect(declined.status == 1)
        #expect(declined.output.contains("4 article links found:"), "\(declined.output)")
        #expect(declined.output.contains("1. 青溪市老城区雨污分流改造工程全面完工"), "\(declined.output)")
        #expect(declined.output.contains("Author:    陈镕"), "\(declined.output)")
        #expect(declined.output.contains("Nothing written."))
        #expect(!folder.exists("feeds/qingxi.toml"))
        #expect(!folder.exists("state"), "a preview stores nothing")

        let confirmed = try folder.tidings(["add", "--allow-private-networks", folder.listing, "qingxi"], input: "y\n")
        #expect(confirmed.status == 0, "\(confirmed.output)")
        #expect(folder.read("feeds/qingxi.toml")?.contains("url   = \"\(folder.listing)\"") == true)

        let again = try folder.tidings(["add", "--yes", "--allow-private-networks", folder.listing, "qingxi"])
        #expect(again.status == 2 && again.output.contains("exists already"), "\(again.output)")
        let reserved = try folder.tidings(["add", "--yes", "--allow-private-networks", folder.listing, "all"])
        #expect(reserved.status != 0 && reserved.output.contains("reserved"), "\(reserved.output)")

        let named = try folder.tidings(["add", "--yes", "--title", "Qingxi \"News\"", "--allow-private-networks", folder.listing])
        #expect(named.status == 0, "\(named.output)")
        #expect(folder.read("feeds/qingxi-news.toml")?.contains(#"title = "Qingxi \"News\"""#) == true, "\(named.output)")
        let check = try folder.tidings(["check"])
        #expect(check.status == 0, "the files add writes pass the check: \(check.output)")
    }

    @Test("import makes a source of each outline with an xmlUrl or htmlUrl, skipping known URLs and taken names")
    func importOPML() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("feeds/bbc.toml", "url = \"https://feeds.bbci.co.uk/news/world/rss.xml\"\n")
        try folder.write("feeds/example-news.toml", "url = \"https://other.example/\"\n")
        try folder.write("subscriptions.opml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE opml [<!ENTITY boom "boom">]>
            <opml version="2.0"><head><title>Reader export</title></head><body>
              <outline text="News">
                <outline type="rss" text="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk/news/world"/>
                <outline text="Example News" title="Example News" htmlUrl="https://news.example.com/"/>
                <outline text="新华网 国际" xmlUrl="http://www.news.cn/world/rss.xml" htmlUrl="http://www.news.cn/world/"/>
                <outline text="Script" htmlUrl="javascript:alert(1)"/>
                <outline text="Folder without URL"><outline text="Nested" xmlUrl="https://nested.example/feed.xml"/></outline>
              </outline>
              <outline text="All" xmlUrl="https://all.example/rss"/>
            </body></opml>
            """)
        let outcome = try folder.tidings(["import", "subscriptions.opml"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("4 sources added"), "\(outcome.output)")
        #expect(outcome.output.contains("skipped https://feeds.bbci.co.uk/news/world/rss.xml"))
        #expect(folder.read("feeds/example-news-2.toml")?.contains("url   = \"https://news.example.com/\"") == true, "a taken name gets -2")
        #expect(folder.read("feeds/新华网-国际.toml")?.contains("url   = \"http://www.news.cn/world/rss.xml\"") == true, "the feed is preferred")
        #expect(folder.exists("feeds/nested.toml"))
        #expect(folder.exists("feeds/all-feed.toml"), "a reserved name is never written")
        #expect(try folder.tidings(["check"]).status == 0)

        let broken = try folder.tidings(["import", "feeds/bbc.toml"])
        #expect(broken.status == 2 && broken.output.contains("not"), "\(broken.output)")
    }

    @Test("a source file with a reserved name does not stop refresh from writing the other feeds")
    func refreshWithReservedFile() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("feeds/qingxi.toml", "url = \"\(folder.listing)\"\n")
        try folder.write("feeds/all.toml", "url = \"\(folder.listing)\"\n")
        try folder.write("feeds/status.toml", "url = \"\(folder.listing)\"\n")
        let outcome = try folder.tidings(["refresh", "--allow-private-networks"])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.contains("all.toml: 'all' is reserved"), "\(outcome.output)")
        #expect(outcome.output.contains("status.toml: 'status' is reserved"), "\(outcome.output)")
        #expect(folder.read("public/qingxi.atom")?.contains("青溪市老城区雨污分流改造工程全面完工") == true)
        #expect(folder.read("public/all.atom")?.contains("青溪市老城区雨污分流改造工程全面完工") == true, "all.atom is the combined feed")
        #expect(!folder.exists("public/status.json"), "no source's JSON Feed takes the daemon's /status.json name")
    }
}

@Suite("--log-level")
struct LogLevelOptionTests {
    @Test("--log-level info shows what a refresh does, with a time and level outside the journal; a bad level is a usage error")
    func logLevel() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("feeds/qingxi.toml", "url = \"\(folder.listing)\"\n")
        let quiet = try folder.tidings(["refresh", "--allow-private-networks"])
        #expect(quiet.status == 0, "\(quiet.output)")
        #expect(!quiet.output.contains(" info "), "by default refresh logs problems only: \(quiet.output)")
        let chatty = try folder.tidings(["refresh", "--allow-private-networks", "--log-level", "debug"])
        #expect(chatty.status == 0, "\(chatty.output)")
        #expect(chatty.output.range(of: #"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (debug|info) "#, options: .regularExpression) != nil, "\(chatty.output)")
        let bad = try folder.tidings(["refresh", "--log-level", "loud"])
        #expect(bad.status == 64, "\(bad.output)")
        #expect(bad.output.contains("--log-level must be one of trace, debug, info, notice, warning, error, critical"), "\(bad.output)")
    }
}
