import ArgumentParser
import Daemon
import Foundation
import TidingsCore

/// `tidings status`: asks the running daemon how every source is doing.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Shows how the running daemon and each of its sources are doing.",
        discussion: """
            Asks the daemon that uses the state folder (found through its daemon.json, over TCP or \
            its unix socket), or the one given with --daemon, for GET /status.json, and prints \
            every source's state, last success and next run, failing sources first, with their \
            last error. Exit status: 0 when all is well, 1 when a source is failing or a feeds \
            file is unusable, 2 when no daemon answers.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Ask the daemon serving at this URL (e.g. http://127.0.0.1:8080) or unix socket path.")
    var daemon: String?

    @Flag(name: .long, help: "Print the daemon's status document as JSON.")
    var json = false

    func run() async throws {
        let client: DaemonClient
        do {
            client = try locate()
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
        let document: StatusDocument
        do {
            document = try await client.status()
        } catch {
            printError("error: \(error)")
            if let state = client.fallbackFor {
                printError("error: no daemon is running on the state folder \(state.path) either (start one with `tidings run` or `systemctl start tidings`; --state or --daemon names another)")
            }
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        } else {
            print("tidings \(document.version) at \(client.address): " + document.text())
        }
        if document.hasProblems { throw ExitCode(1) }
    }

    func locate() throws -> DaemonClient {
        if let daemon {
            guard let address = DaemonAddress(parsing: daemon) else {
                throw CommandFailure("--daemon '\(daemon)' is neither an http:// URL nor a unix socket path starting with /")
            }
            return DaemonClient(address: address, token: nil)
        }
        let state = try options.refreshConfiguration().stateDirectory
        guard let endpoint = DaemonEndpoint.locate(stateDirectory: state) else {
            // daemon.json may be out of reach (the service's state folder is root's alone):
            // the status needs no token, so ask the address the settings name.
            let listen = try options.settings().listen ?? ListenAddress.default.description
            switch ListenAddress(parsing: listen) {
            case .tcp(let host, let port)?: return DaemonClient(address: .tcp(host: host, port: port), token: nil, fallbackFor: state)
            case .unixSocket(let path)?: return DaemonClient(address: .unixSocket(path: path), token: nil, fallbackFor: state)
            case nil: throw CommandFailure("no daemon is running on the state folder \(state.path)")
            }
        }
        guard let client = DaemonClient(endpoint: endpoint) else {
            throw CommandFailure("the daemon (pid \(endpoint.pid)) does not serve (--no-serve): it has no status to ask for; see its log")
        }
        return client
    }
}
