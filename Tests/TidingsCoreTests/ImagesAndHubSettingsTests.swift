import Foundation
import Testing
@testable import TidingsCore

@Suite("images and hub keys")
struct ImagesAndHubSettingsTests {
    @Test("images is direct or proxy in tidings.toml and in a feeds file; hub is an http(s) URL")
    func parsesKeys() throws {
        let settings = try Settings.parse(text: "images = \"proxy\"\nhub = \"https://hub.example/\"\n", fileName: "tidings.toml").get()
        #expect(settings.images == .proxy)
        #expect(settings.hub == URL(string: "https://hub.example/"))
        #expect(try Settings.parse(text: "images = \"Direct\"\n", fileName: "tidings.toml").get().images == .direct)
        #expect(try Settings.parse(text: "", fileName: "tidings.toml").get().images == nil)

        let source = try SourceParser.parse(fileName: "a.toml", text: "url = \"https://a.example/\"\nimages = \"proxy\"\n",
                                            baseDirectory: URL(fileURLWithPath: "/")).get()
        #expect(source.images == .proxy)
        let plain = try SourceParser.parse(fileName: "b.toml", text: "url = \"https://a.example/\"\n", baseDirectory: URL(fileURLWithPath: "/")).get()
        #expect(plain.images == nil)
    }

    @Test("a bad images or hub value is a problem naming the key", arguments: [
        ("images = \"proxied\"\n", "images"), ("images = true\n", "images"), ("hub = \"ftp://hub.example/\"\n", "hub"),
        ("hub = \"not a url\"\n", "hub"), ("hub = 3\n", "hub"),
    ])
    func refusesBadValues(text: String, key: String) {
        guard case .failure(let problems) = Settings.parse(text: text, fileName: "tidings.toml") else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(problems.problems.contains { $0.key == key }, "\(problems.problems)")
    }
}
