import Foundation
import Testing
import TidingsCore

@Suite("Settings file")
struct SettingsTests {
    @Test("every key of tidings.toml is read")
    func complete() throws {
        let text = """
            feeds = "/etc/tidings/feeds"
            output = "/var/cache/tidings/public"
            state = "/var/lib/tidings"
            base_url = "https://feeds.example.org/"
            user_agent = "MyTidings/1"
            allow_private_networks = true
            concurrency = 8
            per_host = 2
            host_gap = 0.5
            ca_file = "/etc/tidings/intranet-ca.pem"
            listen = "127.0.0.1:9090"
            refresh_token = "s3cret"
            sources_at_once = 12
            retain = "14d"
            render_concurrency = 3
            render_budget = "20s"
            render_memory_limit = 800
            """
        let s = try Settings.parse(text: text, fileName: "tidings.toml").get()
        #expect(s.sourcesAtOnce == 12)
        #expect(s.retain == 14.0 * 86400)
        #expect(s.feeds == "/etc/tidings/feeds")
        #expect(s.baseURL?.absoluteString == "https://feeds.example.org/")
        #expect(s.allowPrivateNetworks == true)
        #expect(s.concurrency == 8)
        #expect(s.perHost == 2)
        #expect(s.hostGap == 0.5)
        #expect(s.caFile == "/etc/tidings/intranet-ca.pem")
        #expect(s.listen == "127.0.0.1:9090")
        #expect(s.refreshToken == "s3cret")
        #expect(s.renderConcurrency == 3)
        #expect(s.renderBudget == 20)
        #expect(s.renderMemoryLimit == 800)
    }

    @Test("sources_at_once must be a positive number and retain a duration, each error naming the key")
    func concurrencyAndRetention() throws {
        for (text, key) in [("sources_at_once = 0", "sources_at_once"), ("sources_at_once = \"many\"", "sources_at_once"),
                            ("retain = \"forever\"", "retain"), ("retain = -1", "retain")] {
            guard case .failure(let error) = Settings.parse(text: text, fileName: "tidings.toml") else {
                Issue.record("'\(text)' was accepted")
                continue
            }
            #expect(error.description.contains(key), "\(error)")
        }
        let defaults = try Settings.parse(text: "", fileName: "tidings.toml").get()
        #expect(defaults.sourcesAtOnce == nil && defaults.retain == nil)
    }

    @Test("a missing default file gives the defaults; a missing named file or a broken one is an error naming it")
    func load() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("absent.toml").path
        guard case .failure(let error) = Settings.load(from: missing) else { Issue.record("a missing named file was accepted"); return }
        #expect(error.description == "\(missing): settings file not found or unreadable")
        let broken = folder.appendingPathComponent("broken.toml")
        try Data("concurrency = 0\n".utf8).write(to: broken)
        guard case .failure(let brokenError) = Settings.load(from: broken.path) else { Issue.record("a broken file was accepted"); return }
        #expect(brokenError.problems.map(\.key) == ["concurrency"])
        let good = folder.appendingPathComponent("good.toml")
        try Data("per_host = 3\n".utf8).write(to: good)
        #expect(try Settings.load(from: good.path).get().perHost == 3)
    }

    @Test("an empty file is all defaults")
    func empty() throws {
        #expect(try Settings.parse(text: "", fileName: "tidings.toml").get() == Settings())
    }

    @Test("bad values name the file and the key", arguments: [
        ("allow_private_networks = \"yes\"", "allow_private_networks"),
        ("base_url = \"ftp://x\"", "base_url"),
        ("concurrency = 0", "concurrency"),
        ("host_gap = \"soon\"", "host_gap"),
        ("ca_file = 1", "ca_file"),
        ("outptu = \"x\"", "outptu"),
        ("render_concurrency = 0", "render_concurrency"),
        ("render_budget = \"forever\"", "render_budget"),
    ])
    func broken(text: String, key: String) {
        guard case .failure(let error) = Settings.parse(text: text, fileName: "tidings.toml") else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.description.hasPrefix("tidings.toml: key '\(key)'"))
    }
}
