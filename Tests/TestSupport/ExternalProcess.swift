import Foundation

/// Runs a program for a test and collects its output. Output and input go through temporary
/// files, not pipes: corelibs Foundation's `readDataToEndOfFile` traps on EINTR, which the
/// SIGCHLD of concurrently running tests' children can cause.
public enum ExternalProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `program` (looked up on PATH unless absolute) with stdout and stderr together.
    public static func run(_ program: String, _ arguments: [String], directory: URL? = nil,
                           environment: [String: String]? = nil, input: String? = nil) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputFile = scratch.appendingPathComponent("output")
        let inputFile = scratch.appendingPathComponent("input")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: inputFile.path, contents: Data((input ?? "").utf8))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = try FileHandle(forWritingTo: outputFile)
        let stdin = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        process.waitUntilExit()
        try output.close()
        try stdin.close()
        let text = (try? Data(contentsOf: outputFile)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Outcome(status: process.terminationStatus, output: text)
    }
}
