import ArgumentParser

@main
struct Tidings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Turns news web sites into full-text Atom feeds.",
        subcommands: [CheckCommand.self, DiscoverCommand.self])
}
