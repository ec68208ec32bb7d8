import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

/// The commands that talk to a running daemon (`refresh`, `status`), and what it logs.
@Suite("Commands that ask the daemon", .serialized)
struct DaemonCommandTests {
    @Test("with the daemon on a unix socket, tidings refresh asks it, prints the daemon's output folder, and tidings status lists failing sources first")
    func unixSocketRefreshAndStatus() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        daemon.listen = daemon.root.appendingPathComponent("http.sock").path
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1d"))
        try daemon.writeSource("gone", "url = \"\(site.server.url("/no-such-listing.html").absoluteString)\"\nevery = \"1d\"\n")
        try await daemon.start()
        #expect(daemon.endpoint?.unixSocket == daemon.listen)

        let elsewhere = daemon.root.appendingPathComponent("not-the-daemons-folder")
        let refresh = try ExternalProcess.run(DaemonProcess.binary.path, [
            "refresh", "--feeds", daemon.feeds.path, "--out", elsewhere.path, "--state", daemon.state.path,
        ])
        #expect(refresh.status == 1, "one of two sources fails: \(refresh.output)")
        #expect(refresh.output.contains("Asking the daemon at \(daemon.listen)"), "\(refresh.output)")
        #expect(refresh.output.contains("feeds in \(daemon.output.path) "), "\(refresh.output)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path), "nothing was refreshed in the command's own process")
        #expect(try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles, "\(daemon.logText)")

        let status = try ExternalProcess.run(DaemonProcess.binary.path, ["status", "--state", daemon.state.path])
        #expect(status.status == 1, "a failing source makes the status 1: \(status.output)")
        let lines = status.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("2 sources, 1 failing") == true, "\(status.output)")
        let gone = try #require(lines.firstIndex { $0.hasPrefix("  gone") }, "\(status.output)")
        let qingxi = try #require(lines.firstIndex { $0.hasPrefix("  qingxi") }, "\(status.output)")
        #expect(gone < qingxi, "the failing source comes first")
        #expect(lines[gone].contains("FAILING") && lines[gone].contains("never succeeded"))
        #expect(lines[gone + 1].contains("404"), "its last error is shown: \(status.output)")
        #expect(lines[qingxi].contains("ok") && lines[qingxi].contains("last success") && lines[qingxi].contains("next run in"))

        let json = try ExternalProcess.run(DaemonProcess.binary.path, ["status", "--json", "--daemon", daemon.listen])
        let document = try JSONDecoder().decode(StatusDocument.self, from: Data(json.output.utf8))
        #expect(Set(document.sources.map(\.id)) == ["gone", "qingxi"])
        #expect(try await daemon.terminate().status == 0)

        // Without daemon.json the settings' listen address is asked (the status needs no token).
        let settings = daemon.root.appendingPathComponent("none.toml")
        try Data("listen = \"\(daemon.root.appendingPathComponent("none.sock").path)\"\n".utf8).write(to: settings)
        let none = try ExternalProcess.run(DaemonProcess.binary.path, ["status", "--state", daemon.state.path, "--config", settings.path])
        #expect(none.status == 2)
        #expect(none.output.contains("no daemon is running"), "\(none.output)")
    }

    @Test("when stderr is the journal, lines start with their syslog priority and carry no timestamp; a failing source logs at warning; log_level filters")
    func journalLines() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        FileManager.default.createFile(atPath: daemon.log.path, contents: nil)
        var info = stat()
        #expect(stat(daemon.log.path, &info) == 0)
        daemon.extraEnvironment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        daemon.settingsText = "log_level = \"notice\"\n"
        try daemon.writeSource("gone", "url = \"\(site.server.url("/no-such-listing.html").absoluteString)\"\nevery = \"1d\"\n")
        try await daemon.start()
        daemon.signal(SIGUSR1)
        try await waitUntil(timeout: 60, "the failing refresh is logged") { daemon.logText.contains("refresh failed") }
        #expect(try await daemon.terminate().status == 0)

        let lines = daemon.logText.split(separator: "\n").map(String.init)
        let failure = try #require(lines.first { $0.contains("refresh failed") })
        #expect(failure.hasPrefix("<4>refresh failed "), "\(failure)")
        #expect(failure.contains("source.id=gone"))
        for line in lines {
            #expect(line.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil, "every line has a priority: \(line)")
            #expect(line.range(of: #"^<[0-7]>\d{4}-\d\d-\d\dT"#, options: .regularExpression) == nil, "no timestamp: \(line)")
            #expect(!line.hasPrefix("<6>") && !line.hasPrefix("<7>"), "log_level = notice drops info and debug: \(line)")
        }
    }
}
