import ArgumentParser
import Discovery
import Foundation
import Refresh
import TidingsCore

/// `tidings import FILE.opml`: a source file per subscription of an OPML export.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Makes a source of every subscription in an OPML file (a feed reader's export).",
        discussion: """
            Each outline with an http(s) xmlUrl (the site's feed) or htmlUrl (its page) becomes \
            feeds/NAME.toml, NAME made from its title; the feed is preferred, since Tidings fetches \
            the full text of what it links to. A URL some source already reads is skipped, and so \
            is a name already taken. Nothing is fetched. A running daemon reads the new files \
            after `systemctl reload tidings`.
            """)

    @Argument(help: "The OPML file.")
    var file: String

    @Flag(name: .long, help: "Show what would be written without writing anything.")
    var dryRun = false

    @OptionGroup var options: CommonOptions

    func run() throws {
        do {
            try importFile()
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
    }

    func importFile() throws {
        let path = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: path.path) else { throw CommandFailure("\(file): not found or unreadable") }
        let outlines: [OPMLOutline]
        switch OPMLReader.outlines(in: String(decoding: data, as: UTF8.self), fileURL: path) {
        case .success(let found): outlines = found
        case .failure(let failure): throw CommandFailure("\(file): \(failure)")
        }
        let configuration = try options.refreshConfiguration()
        let folder = configuration.feedsDirectory
        let existing = CatalogLoader.load(directory: folder, minimumEvery: configuration.minimumEvery)
        var knownURLs = Set(existing.sources.map(\.url.absoluteString))
        var takenNames = Set(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)).lowercased() })
        if !dryRun { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

        var written = 0
        var skipped = 0
        for outline in outlines {
            guard let url = outline.sourceURL else { continue }
            guard knownURLs.insert(url.absoluteString).inserted else {
                print("skipped \(url.absoluteString): a source already reads it")
                skipped += 1
                continue
            }
            let id = Self.freeName(SourceID.suggested(title: outline.title, url: url), taken: takenNames)
            takenNames.insert(id.lowercased())
            let target = folder.appendingPathComponent(id + ".toml")
            let text = SourceFileText.make(url: url, title: outline.title,
                                           comment: "Imported from \(path.lastPathComponent) by tidings import on \(Timestamp.now().rfc3339).")
            if !dryRun {
                do {
                    try Data(text.utf8).write(to: target, options: .withoutOverwriting)
                } catch {
                    printError("error: cannot write \(target.path): \(error.localizedDescription)")
                    skipped += 1
                    continue
                }
            }
            print("\(dryRun ? "would write" : "wrote") \(target.path): \(url.absoluteString)")
            written += 1
        }
        let verb = dryRun ? "would be added" : "added"
        print("\(written) source\(written == 1 ? "" : "s") \(verb) to \(folder.path), \(skipped) skipped, from \(outlines.count) subscription\(outlines.count == 1 ? "" : "s").")
        if written > 0 && !dryRun { print("Check them with `tidings check`; refresh with `tidings refresh`.") }
    }

    /// `name`, or `name-2`, `name-3`… when taken.
    static func freeName(_ name: String, taken: Set<String>) -> String {
        guard taken.contains(name.lowercased()) else { return name }
        var n = 2
        while taken.contains("\(name)-\(n)".lowercased()) { n += 1 }
        return "\(name)-\(n)"
    }
}
