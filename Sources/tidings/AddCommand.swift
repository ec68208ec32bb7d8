import ArgumentParser
import Discovery
import Foundation
import Refresh
import TidingsCore

/// `tidings add URL [NAME]`: previews a new source and writes its file.
struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Adds a source: shows what it gives, then writes feeds/NAME.toml.",
        discussion: """
            Fetches the page as a refresh would, shows the first article links found on it and \
            the first article as it would be extracted, then asks before writing NAME.toml in the \
            feeds folder (--yes writes without asking). NAME defaults to one made from the title \
            or the URL. Nothing is stored in the state folder. A running daemon picks the new \
            file up on its next reload (systemctl reload tidings, or SIGHUP).
            """)

    @Argument(help: "The listing page, home page or feed of the site (http or https).")
    var url: String

    @Argument(help: "The source's name: the file name without .toml, and the feed's file name.")
    var name: String?

    @Option(name: .long, help: "The feed's title (default: the name).")
    var title: String?

    @Flag(name: .shortAndLong, help: "Write the file without asking.")
    var yes = false

    @Option(name: .long, help: "How many of the links found to show.")
    var show = 10

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              parsed.host != nil else {
            throw ValidationError("'\(url)' is not an http(s) URL.")
        }
        if let name, let problem = SourceID.problem(name) { throw ValidationError("NAME: \(problem).") }
        if show < 0 { throw ValidationError("--show cannot be negative.") }
    }

    func run() async throws {
        do {
            try await add()
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
    }

    func add() async throws {
        guard let target = URL(string: url) else { throw CommandFailure("'\(url)' is not a URL") }
        let configuration = try options.refreshConfiguration()
        let id = name ?? SourceID.suggested(title: title, url: target)
        let file = configuration.feedsDirectory.appendingPathComponent(id + ".toml")
        if FileManager.default.fileExists(atPath: file.path) {
            throw CommandFailure("\(file.path) exists already; give another NAME")
        }
        let source = Source(id: id, title: title ?? id, url: target)
        let logger = options.makeLogger()
        print("Fetching \(target.absoluteString)…")
        let preview: SourcePreview
        do {
            preview = try await SourcePreview.run(source, fetcher: configuration.fetcher, renderer: configuration.renderer, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        for issue in preview.issues { printError("warning: \(issue.message)") }
        if preview.failed { throw CommandFailure("\(target.absoluteString) could not be fetched; no file written") }
        print(Self.describe(preview, shown: show))

        if !yes {
            print("Write \(file.path)? [y/N] ", terminator: "")
            fflush(nil)
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("Nothing written.")
                throw ExitCode(1)
            }
        }
        let text = SourceFileText.make(url: target, title: title, comment: "Added by tidings add on \(Timestamp.now().rfc3339).")
        try FileManager.default.createDirectory(at: configuration.feedsDirectory, withIntermediateDirectories: true)
        do {
            try Data(text.utf8).write(to: file, options: .withoutOverwriting)
        } catch {
            throw CommandFailure("cannot write \(file.path): \(error.localizedDescription)")
        }
        print("Wrote \(file.path). Refresh it with `tidings refresh \(id)`; a running daemon reads it after `systemctl reload tidings`.")
    }

    /// The links found and the first article, as the user decides on them.
    static func describe(_ preview: SourcePreview, shown: Int) -> String {
        var lines = ["\(preview.links.count) article link\(preview.links.count == 1 ? "" : "s") found" + (preview.links.isEmpty ? "." : ":")]
        for (index, link) in preview.links.prefix(shown).enumerated() {
            let title = link.title.isEmpty ? "(no title)" : link.title
            lines.append("  \(index + 1). \(title)\n     \(link.url.absoluteString)")
        }
        if preview.links.count > shown { lines.append("  … and \(preview.links.count - shown) more") }
        if preview.links.isEmpty {
            lines.append("No article links: try another page of the site, or a [discover] links selector (see `tidings discover`).")
        }
        switch preview.firstArticle {
        case .success(let article)?:
            lines.append("")
            lines.append("First article, as it would appear in the feed:")
            lines.append("  Title:     \(article.title)")
            if let author = article.author { lines.append("  Author:    \(author)") }
            if let published = article.published { lines.append("  Published: \(published.rfc3339)") }
            if let outlet = article.outlet { lines.append("  Outlet:    \(outlet)") }
            let words = WordCount.of(article.text)
            lines.append("  Text:      \(article.text.count) characters, \(words) words")
            let opening = article.text.split(separator: "\n", omittingEmptySubsequences: true).prefix(3)
            for paragraph in opening { lines.append("    " + String(paragraph.prefix(300))) }
        case .failure(let issue)?:
            lines.append("")
            lines.append("The first article could not be extracted: \(issue.message)")
        case nil:
            break
        }
        return lines.joined(separator: "\n")
    }
}
