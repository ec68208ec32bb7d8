import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import Syndication

/// newsboat, a real reader, subscribes to the published feeds over loopback HTTP.
@Suite("newsboat reads the published feeds")
struct NewsboatTests {
    /// What newsboat stored, per feed URL, read from its SQLite cache with python3 (no sqlite3 CLI needed).
    static let readCache = """
    import sys, json, sqlite3
    db = sqlite3.connect(sys.argv[1])
    out = {}
    for url, title in db.execute("select feedurl, title from rss_item order by feedurl, pubDate desc, title"):
        out.setdefault(url, []).append(title)
    json.dump(out, sys.stdout, ensure_ascii=False)
    """

    /// Subscribes a fresh newsboat to `urls`, reloads, and returns the titles it stored per feed.
    /// One cache per call: newsboat keeps one item per guid, so feeds that share entries
    /// (a source's Atom and RSS, or `all.*`) need caches of their own.
    static func titles(subscribingTo urls: [URL], in folder: URL) throws -> [String: [String]] {
        let home = folder.appendingPathComponent("newsboat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try Data(urls.map(\.absoluteString).joined(separator: "\n").utf8).write(to: home.appendingPathComponent("urls"))
        // Generous retries: under a loaded test run a first download can time out.
        let errorLog = home.appendingPathComponent("error.log")
        try Data("download-retries 4\ndownload-timeout 60\nreload-threads 1\nerror-log \"\(errorLog.path)\"\n".utf8)
            .write(to: home.appendingPathComponent("config"))
        let environment = ["HOME": home.path, "XDG_CONFIG_HOME": home.path, "XDG_DATA_HOME": home.path]
        let reload = try ExternalCheck.run("newsboat", ["-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"],
                                           directory: home, environment: environment)
        guard reload.succeeded else { throw ExternalCheck.CheckFailure(message: "newsboat reload failed: \(reload.output)") }
        let dump = try ExternalCheck.run("python3", ["-c", readCache, home.appendingPathComponent("cache.db").path])
        guard dump.succeeded else { throw ExternalCheck.CheckFailure(message: "reading newsboat's cache failed: \(dump.output)") }
        let stored = try JSONDecoder().decode([String: [String]].self, from: Data(dump.output.utf8))
        if stored.isEmpty {
            let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "(no error log)"
            Issue.record("newsboat stored nothing; its output: \(reload.output); its error log: \(log)")
        }
        return stored
    }

    @Test("newsboat subscribes to the Atom, RSS and combined feeds over loopback and lists exactly the expected titles")
    func newsboatListsTheTitles() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let output = folder.appendingPathComponent("public")
        var gazette = SampleFeeds.englishChannel
        gazette.entries.append(SampleFeeds.entry(SampleFeeds.english, path: "2023/06/tides", title: "Tides <high> & \"low\" ]]> today",
                                                 published: "2023-06-15T07:00:00-04:00"))
        let server = try LoopbackServer(directory: output)
        defer { server.stop() }
        _ = try SampleFeeds.publisher(output, baseURL: server.baseURL.absoluteString + "/").publish([SampleFeeds.portalChannel, gazette])

        let portalTitles = ["长沙地铁6号线东延段开通运营", "湘江新区发布人才政策"]
        let gazetteTitles = ["Ferry schedule changes for summer & beyond", "Tides <high> & \"low\" ]]> today"]
        for format in ["atom", "rss"] {
            let portal = server.url("/hunan-portal.\(format)"), harbor = server.url("/harbor-gazette.\(format)")
            let stored = try Self.titles(subscribingTo: [portal, harbor], in: folder)
            #expect(stored == [portal.absoluteString: portalTitles, harbor.absoluteString: gazetteTitles], "\(format)")
        }
        let all = server.url("/all.atom")
        let combined = try Self.titles(subscribingTo: [all], in: folder)
        #expect(combined[all.absoluteString].map(Set.init) == Set(portalTitles + gazetteTitles))
        #expect(combined[all.absoluteString]?.count == 4)
    }
}
