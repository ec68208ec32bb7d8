import Foundation
import TestSupport

/// A scratch folder to run the `tidings` binary in, with the bundled sample site on loopback.
final class CommandFolder: Sendable {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleSite = repository.appendingPathComponent("feeds/sample-site")

    let root: URL
    let site: LoopbackServer

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-command-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        site = try LoopbackServer(directory: Self.sampleSite)
    }

    var feeds: URL { root.appendingPathComponent("feeds") }
    var listing: String { site.url("/index.html").absoluteString }

    func write(_ relativePath: String, _ text: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relativePath: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(relativePath).path).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relativePath).path)
    }

    /// Runs `tidings ARGS…` in the folder (stdout and stderr together).
    func tidings(_ arguments: [String], input: String? = nil) throws -> ExternalProcess.Outcome {
        try ExternalProcess.run(TidingsBinary.url.path, arguments, directory: root, input: input)
    }

    func cleanUp() {
        site.stop()
        try? FileManager.default.removeItem(at: root)
    }
}
