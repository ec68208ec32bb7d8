import Foundation
import Testing
@testable import TidingsCore

@Suite("publish_files and node keys")
struct SharingSettingsTests {
    @Test("publish_files is refreshing or every (any case); node is a name")
    func parsesKeys() throws {
        let settings = try Settings.parse(text: "publish_files = \"Every\"\nnode = \"feeds-2\"\n", fileName: "tidings.toml").get()
        #expect(settings.publishFiles == "every")
        #expect(settings.node == "feeds-2")
        let plain = try Settings.parse(text: "", fileName: "tidings.toml").get()
        #expect(plain.publishFiles == nil && plain.node == nil)
    }

    @Test("a bad publish_files or node value is a problem naming the key", arguments: [
        ("publish_files = \"all\"\n", "publish_files"), ("publish_files = true\n", "publish_files"),
        ("node = \"\"\n", "node"), ("node = \"a\\nb\"\n", "node"), ("node = 3\n", "node"),
    ])
    func refusesBadValues(text: String, key: String) {
        guard case .failure(let problems) = Settings.parse(text: text, fileName: "tidings.toml") else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(problems.problems.contains { $0.key == key }, "\(problems.problems)")
        if text.contains("\"all\"") { #expect(problems.problems.contains { $0.message.contains("refreshing, every") }) }
    }
}
