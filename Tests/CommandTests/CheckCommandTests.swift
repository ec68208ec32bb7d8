import Foundation
import TestSupport
import Testing

@Suite("tidings check")
struct CheckCommandTests {
    @Test("every problem of every file at once, including tidings.toml, with the exit status 1")
    func everyProblem() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("tidings.toml", "outptu = \"public\"\n")
        try folder.write("feeds/good.toml", "url = \"https://news.example.com/\"\n")
        try folder.write("feeds/bad.toml", """
            url = "https://news.example.com/"
            evry = "15m"
            every = "1s"
            language = "en_US"
            [fetch]
            cookies = "a=1\\r\\nX-Injected: yes"
            [extract]
            remove = ["p[class^=x]", "div ~ p"]
            """)
        try folder.write("feeds/all.toml", "url = \"https://news.example.com/\"\n")
        let outcome = try folder.tidings(["check"])
        #expect(outcome.status == 1)
        let errors = outcome.output.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.contains { $0.contains("tidings.toml: key 'outptu': unknown key; did you mean 'output'?") }, "\(outcome.output)")
        #expect(errors.contains { $0.contains("bad.toml: key 'evry': unknown key; did you mean 'every'?") })
        #expect(errors.contains { $0.contains("bad.toml: key 'every': 1s is shorter than the floor of 1m") })
        #expect(errors.contains { $0.contains("bad.toml: key 'language'") && $0.contains("did you mean 'en-US'?") })
        #expect(errors.contains { $0.contains("bad.toml: key 'fetch.cookies'") && $0.contains("carriage return") })
        #expect(errors.contains { $0.contains("all.toml") && $0.contains("reserved") })
        #expect(!errors.contains { $0.contains("good.toml") })
        #expect(outcome.output.contains("4 files checked: 6 problems in 3 files."), "\(outcome.output)")
    }

    @Test("images = \"proxy\" and hub need base_url, and check says so; bad values name the key")
    func proxyAndHubNeedBaseURL() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("tidings.toml", "hub = \"https://hub.example/\"\n")
        try folder.write("feeds/photos.toml", "url = \"https://news.example.com/\"\nimages = \"proxy\"\n")
        try folder.write("feeds/plain.toml", "url = \"https://news.example.com/\"\n")
        let missing = try folder.tidings(["check"])
        #expect(missing.status == 1)
        #expect(missing.output.contains("key 'base_url'") && missing.output.contains("images = \"proxy\" in photos.toml needs base_url"), "\(missing.output)")
        #expect(missing.output.contains("hub needs base_url"), "\(missing.output)")

        try folder.write("tidings.toml", "hub = \"https://hub.example/\"\nbase_url = \"https://feeds.example/\"\n")
        let fine = try folder.tidings(["check"])
        #expect(fine.status == 0, "\(fine.output)")

        try folder.write("tidings.toml", "hub = \"hub.example\"\nimages = \"proxied\"\nbase_url = \"https://feeds.example/\"\n")
        try folder.write("feeds/photos.toml", "url = \"https://news.example.com/\"\nimages = \"yes\"\n")
        let bad = try folder.tidings(["check"])
        #expect(bad.status == 1)
        #expect(bad.output.contains("tidings.toml: key 'hub': 'hub.example' is not an http(s) URL"), "\(bad.output)")
        #expect(bad.output.contains("tidings.toml: key 'images': 'proxied' is not one of direct, proxy"), "\(bad.output)")
        #expect(bad.output.contains("photos.toml: key 'images': 'yes' is not one of direct, proxy"), "\(bad.output)")
    }

    @Test("check FILE checks that file only; min_every in tidings.toml lowers the floor")
    func oneFile() throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("feeds/fast.toml", "url = \"https://news.example.com/\"\nevery = \"20s\"\n")
        try folder.write("feeds/other.toml", "nonsense")
        let strict = try folder.tidings(["check", "feeds/fast.toml"])
        #expect(strict.status == 1)
        #expect(strict.output.contains("1 file checked: 1 problem in 1 file."), "\(strict.output)")
        try folder.write("tidings.toml", "min_every = \"10s\"\n")
        let lowered = try folder.tidings(["check", "feeds/fast.toml"])
        #expect(lowered.status == 0, "\(lowered.output)")
        let settingsOnly = try folder.tidings(["check", "tidings.toml"])
        #expect(settingsOnly.status == 0 && settingsOnly.output.contains("1 file checked: no problems."), "\(settingsOnly.output)")
    }

    @Test("the bundled sample passes")
    func sample() throws {
        let outcome = try ExternalProcess.run(TidingsBinary.url.path, ["check", "--feeds", CommandFolder.repository.appendingPathComponent("feeds").path],
                                              directory: FileManager.default.temporaryDirectory)
        #expect(outcome.status == 0, "\(outcome.output)")
    }
}
