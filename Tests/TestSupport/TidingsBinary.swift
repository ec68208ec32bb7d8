import Foundation

/// The `tidings` executable SwiftPM built beside the test bundle (or `$TIDINGS_BINARY`), for
/// tests that must run it as a real process (e.g. with an environment of its own).
public enum TidingsBinary {
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["TIDINGS_BINARY"] { return URL(fileURLWithPath: path) }
        let candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            .map { $0.appendingPathComponent("tidings") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }
}
