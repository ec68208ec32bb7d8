import ArgumentParser
import Foundation
import Isolation

/// `tidings worker`: the child process that parses outside pages for a refresh (started by
/// `WorkerPageReader`, not by people). Reads requests on stdin, answers on stdout.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Parses pages for a running refresh, in a process of its own (started by tidings itself).",
        shouldDisplay: false)

    func run() throws {
        throw ExitCode(WorkerServer.serve())
    }
}
