import ArgumentParser
import TidingsCore

@main
struct Tidings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Turns news web sites into full-text Atom feeds.",
        discussion: """
            Each file in the feeds folder defines one source. `tidings refresh` fetches every \
            source once and writes the feeds; `tidings run` keeps doing so on a schedule.
            """,
        version: TidingsVersion.current,
        subcommands: [RunCommand.self, RefreshCommand.self, StatusCommand.self, AddCommand.self, ImportCommand.self,
                      FetchCommand.self, ExtractCommand.self, DiscoverCommand.self, CheckCommand.self, WorkerCommand.self])
}
