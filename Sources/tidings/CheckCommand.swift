import ArgumentParser
import Discovery
import Foundation
import Refresh
import TidingsCore

/// `tidings check`: validates every source file and reports all problems at once.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks every source file in the feeds folder and reports all problems at once.",
        discussion: """
        Each feeds/*.toml file must be valid TOML with known keys, a usable URL and selectors \
        written in the supported CSS subset or as XPath. The exit status is non-zero when any \
        file has a problem.
        """)

    @Option(name: .long, help: "The folder that holds the source files.")
    var feeds: String = "feeds"

    func run() throws {
        let folder = URL(fileURLWithPath: feeds, isDirectory: true)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".toml") }
        let catalog = CatalogLoader.load(directory: folder)
        var problems = catalog.errors
        if names.isEmpty && catalog.errors.isEmpty {
            problems.append(CatalogError(file: folder.path, message: "no *.toml source files"))
        }
        for source in catalog.sources {
            let file = source.id + ".toml"
            problems += SelectorCheck.problems(in: source, file: file)
            if source.url.isFileURL && !FileManager.default.fileExists(atPath: source.url.path) {
                problems.append(CatalogError(file: file, key: "url", message: "no such file: \(source.url.path)"))
            }
        }
        for problem in problems.sorted(by: { $0.file < $1.file }) {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
        }
        let checked = names.count
        if problems.isEmpty {
            print("\(checked) source file\(checked == 1 ? "" : "s") checked in \(folder.path): no problems.")
        } else {
            print("\(checked) source file\(checked == 1 ? "" : "s") checked in \(folder.path): \(problems.count) problem\(problems.count == 1 ? "" : "s").")
            throw ExitCode(1)
        }
    }
}
