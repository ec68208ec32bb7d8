import Foundation
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

/// `tidings run` as a real subprocess over a scratch folder (feeds/, public/, state/), with a
/// notify socket standing in for systemd.
final class DaemonProcess: @unchecked Sendable {
    // Invariant: `process` is replaced only by start()/restart() from the test's own task.
    let root: URL
    let notify: NotifyListener
    private(set) var process: Process?
    private(set) var endpoint: DaemonEndpoint?
    var watchdogUSec: Int?
    /// `--listen`: a free loopback port unless a test sets a unix socket path.
    var listen = "127.0.0.1:0"
    /// Lines added to the daemon's tidings.toml.
    var settingsText = ""
    /// Variables added to the daemon's environment.
    var extraEnvironment: [String: String] = [:]
    /// Runs the daemon under `ulimit -n` of this many descriptors (soft and hard).
    var descriptorLimit: Int?

    var feeds: URL { root.appendingPathComponent("feeds") }
    var output: URL { root.appendingPathComponent("public") }
    var state: URL { root.appendingPathComponent("state") }
    var log: URL { root.appendingPathComponent("daemon.log") }

    /// The binary SwiftPM built next to the test bundle (or $TIDINGS_BINARY).
    static var binary: URL { TidingsBinary.url }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        notify = try NotifyListener(abstract: true)
    }

    func writeSource(_ id: String, _ toml: String) throws {
        try Data(toml.utf8).write(to: feeds.appendingPathComponent("\(id).toml"))
    }

    /// Starts the daemon and waits for READY=1; returns every notification read until then.
    @discardableResult
    func start() async throws -> [String] {
        let process = Process()
        process.executableURL = Self.binary
        // No pause between requests to the one loopback host: refreshes take a second, not ten;
        // intervals of a few seconds allowed, for the tests that watch a source run again.
        let settings = root.appendingPathComponent("tidings.toml")
        try Data("host_gap = 0\nmin_every = \"1s\"\n\(settingsText)".utf8).write(to: settings)
        let arguments = ["run", "--config", settings.path, "--feeds", feeds.path, "--out", output.path, "--state", state.path,
                         "--listen", listen, "--allow-private-networks"]
        if let descriptorLimit {
            // exec keeps the pid, so daemon.json still names the process we started.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", Self.binary.path] + arguments
        } else {
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.address
        environment["WATCHDOG_USEC"] = watchdogUSec.map(String.init)
        environment["TMPDIR"] = root.path
        environment.merge(extraEnvironment) { _, new in new }
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        guard let messages = await notify.receiveOffThread(until: "READY=1") else {
            throw DaemonProcessFailure("no READY=1 within 10 s; log:\n\(logText)")
        }
        endpoint = DaemonEndpoint.locate(stateDirectory: state)
        guard endpoint?.pid == process.processIdentifier else { throw DaemonProcessFailure("daemon.json does not name the daemon") }
        return messages
    }

    var port: Int { Int(endpoint!.url!.split(separator: ":").last!)! }

    func signal(_ number: Int32) {
        if let pid = process?.processIdentifier { kill(pid, number) }
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status and the seconds it took.
    func terminate(timeout: TimeInterval = 30) async throws -> (status: Int32, seconds: TimeInterval) {
        guard let process else { throw DaemonProcessFailure("not running") }
        let started = Date()
        kill(process.processIdentifier, SIGTERM)
        try await waitUntil(timeout: timeout, "the daemon exits after SIGTERM") { !process.isRunning }
        self.process = nil
        return (process.terminationStatus, Date().timeIntervalSince(started))
    }

    /// kill -9: no chance to clean up.
    func kill9() async throws {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        try await waitUntil(timeout: 10, "the daemon dies after SIGKILL") { !process.isRunning }
        self.process = nil
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> RawHTTPResponse {
        do {
            return try await RawHTTPClient.send("GET", path, to: .tcp(port: port), headers: headers)
        } catch {
            throw DaemonProcessFailure("\(error); daemon log:\n\(logText)")
        }
    }

    /// Entry ids of an Atom file in the output folder, in document order; throws when the
    /// file is not well-formed XML.
    func entryIDs(_ file: String) throws -> [String] {
        let url = output.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let document = try XMLDocument(contentsOf: url, options: [])
        let ns = "http://www.w3.org/2005/Atom"
        return document.rootElement()?.elements(forLocalName: "entry", uri: ns)
            .compactMap { $0.elements(forLocalName: "id", uri: ns).first?.stringValue } ?? []
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func cleanUp() {
        if let pid = process?.processIdentifier { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: root)
    }
}

struct DaemonProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds; a deadline, not a measurement (the machine may be slow).
func waitUntil(timeout: TimeInterval, _ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    if try condition() { return }
    throw DaemonProcessFailure("timed out after \(Int(timeout)) s waiting until \(what)")
}
