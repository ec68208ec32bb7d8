import Foundation
import TestSupport
import Testing

/// Every command that fetches reads tidings.toml and takes --allow-private-networks, as the
/// README says.
@Suite("discover and extract read the settings like every fetching command")
struct FetchingCommandsTests {
    static let article = "/2025/1128/content_1041.html"

    @Test("discover and extract refuse a loopback address without the switch", arguments: ["discover", "extract"])
    func refusedWithoutSwitch(command: String) throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let target = command == "discover" ? folder.listing : folder.site.url(Self.article).absoluteString
        let outcome = try folder.tidings([command, target])
        #expect(outcome.status != 0, "\(outcome.output)")
        #expect(outcome.output.contains("private") || outcome.output.contains("loopback"), "\(outcome.output)")
        #expect(folder.site.totalRequests == 0, "the guard refuses before anything is sent")
    }

    @Test("--allow-private-networks lets discover and extract reach loopback", arguments: ["discover", "extract"])
    func allowedWithSwitch(command: String) throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let target = command == "discover" ? folder.listing : folder.site.url(Self.article).absoluteString
        let outcome = try folder.tidings([command, "--allow-private-networks", target])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains(command == "discover" ? "4 article links" : "青溪市老城区雨污分流改造工程全面完工"), "\(outcome.output)")
    }

    @Test("tidings.toml in the current folder, or --config, sets allow_private_networks and user_agent for discover and extract",
          arguments: ["discover", "extract"])
    func settingsFile(command: String) throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        let target = command == "discover" ? folder.listing : folder.site.url(Self.article).absoluteString
        try folder.write("tidings.toml", "allow_private_networks = true\nuser_agent = \"OperatorAgent/2.0 (+https://ops.example/)\"\n")
        let outcome = try folder.tidings([command, target])
        #expect(outcome.status == 0, "\(outcome.output)")
        let agents = Set(folder.site.requests.compactMap { $0.headers["user-agent"] })
        #expect(agents == ["OperatorAgent/2.0 (+https://ops.example/)"], "\(agents)")

        try FileManager.default.removeItem(at: folder.root.appendingPathComponent("tidings.toml"))
        try folder.write("elsewhere/settings.toml", "allow_private_networks = true\n")
        #expect(try folder.tidings([command, target]).status != 0, "without the file the guard holds again")
        let named = try folder.tidings([command, "--config", "elsewhere/settings.toml", target])
        #expect(named.status == 0, "\(named.output)")
    }

    @Test("a broken settings file stops discover and extract with every problem named", arguments: ["discover", "extract"])
    func brokenSettings(command: String) throws {
        let folder = try CommandFolder()
        defer { folder.cleanUp() }
        try folder.write("tidings.toml", "allow_private_network = true\nuser_agent = \"A\\r\\nX-Injected: 1\"\n")
        let outcome = try folder.tidings([command, folder.listing])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.output.contains("error: tidings.toml: key 'allow_private_network': unknown key; did you mean 'allow_private_networks'?"), "\(outcome.output)")
        #expect(outcome.output.contains("error: tidings.toml: key 'user_agent'"), "\(outcome.output)")
        #expect(folder.site.totalRequests == 0)
    }
}
