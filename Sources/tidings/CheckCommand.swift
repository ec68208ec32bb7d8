import ArgumentParser
import Extraction
import Foundation
import Refresh
import TidingsCore

/// `tidings check`: validates the settings file and source files, reporting every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks the settings file and the source files and reports every problem at once.",
        discussion: """
        Without FILE arguments it checks tidings.toml (or --config FILE) and every *.toml file \
        of the feeds folder. Each source file must be valid TOML with known keys (a misspelt key \
        gets a suggestion), a usable URL, an interval no shorter than min_every (default 1m), a \
        well-formed BCP 47 language tag, header values without line breaks, regular expressions \
        that compile and selectors written in the supported CSS subset or as XPath. A FILE named \
        tidings.toml is checked as a settings file, any other FILE as a source file. The exit \
        status is 1 when any file has a problem.
        """)

    @Option(name: .long, help: ArgumentHelp("The settings file (default: tidings.toml in the current folder, else /etc/tidings/tidings.toml, when present).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: "The folder that holds the source files (default: feeds, or feeds in the settings file).")
    var feeds: String?

    @Argument(help: "Files to check instead of the settings file and the whole feeds folder.")
    var files: [String] = []

    func run() throws {
        var problems: [CatalogError] = []
        var checked: [String] = []
        let settingsFiles = files.filter { ($0 as NSString).lastPathComponent == "tidings.toml" }
        let sourceFiles = files.filter { ($0 as NSString).lastPathComponent != "tidings.toml" }

        // The settings come first: their min_every is the floor the source files are held to.
        // Without FILE arguments the settings file is checked too (when there is one); with
        // only source files it is read, silently, for that floor.
        var settingsPaths = settingsFiles
        if files.isEmpty, let path = config ?? Settings.defaultPath() { settingsPaths = [path] }
        var settings = Settings()
        for path in settingsPaths {
            checked.append(path)
            switch Settings.load(from: path) {
            case .success(let loaded): settings = loaded
            case .failure(let found): problems += found.problems
            }
        }
        if settingsPaths.isEmpty, case .success(let loaded) = Settings.load(from: config) { settings = loaded }
        let floor = settings.minimumEvery ?? SourceParser.defaultMinimumEvery

        if files.isEmpty {
            let folder = CommonOptions.directory(feeds ?? settings.feeds ?? "feeds")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".toml") }
            let catalog = CatalogLoader.load(directory: folder, minimumEvery: floor)
            problems += catalog.errors + catalog.sources.flatMap { Self.problems(of: $0, file: $0.id + ".toml") }
            problems += Self.baseURLProblems(settings: settings, settingsFile: settingsPaths.last ?? "tidings.toml",
                                             sources: catalog.sources)
            if names.isEmpty && catalog.errors.isEmpty {
                problems.append(CatalogError(file: folder.path, message: "no *.toml source files"))
            }
            checked += names
        }
        for path in sourceFiles {
            checked.append(path)
            problems += Self.problems(ofSourceFile: path, minimumEvery: floor)
        }

        for problem in problems {
            printError("error: \(problem)")
        }
        let count = "\(checked.count) file\(checked.count == 1 ? "" : "s") checked"
        if problems.isEmpty {
            print("\(count): no problems.")
        } else {
            let files = Set(problems.map(\.file)).count
            print("\(count): \(problems.count) problem\(problems.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s").")
            throw ExitCode(1)
        }
    }

    /// `images = "proxy"` and `hub` make URLs under the public base URL: without `base_url`
    /// the images would stay direct and no hub would be told.
    static func baseURLProblems(settings: Settings, settingsFile: String, sources: [Source]) -> [CatalogError] {
        guard settings.baseURL == nil else { return [] }
        var problems: [CatalogError] = []
        let proxied = sources.filter { ($0.images ?? settings.images ?? .direct) == .proxy }
        if settings.images == .proxy || !proxied.isEmpty {
            let which = settings.images == .proxy ? "images = \"proxy\"" : "images = \"proxy\" in \(proxied.map { $0.id + ".toml" }.joined(separator: ", "))"
            problems.append(CatalogError(file: settingsFile, key: "base_url",
                                         message: "\(which) needs base_url: proxied images are served as <base_url>/img/…; until it is set the images stay direct"))
        }
        if settings.hub != nil {
            problems.append(CatalogError(file: settingsFile, key: "base_url",
                                         message: "hub needs base_url: the hub is told the feeds' public URLs; until it is set no hub is named or told"))
        }
        return problems
    }

    /// Every problem of one source file named on the command line.
    static func problems(ofSourceFile path: String, minimumEvery: TimeInterval) -> [CatalogError] {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard name.hasSuffix(".toml") else { return [CatalogError(file: path, message: "a source file's name must end in .toml")] }
        guard let data = FileManager.default.contents(atPath: url.path) else { return [CatalogError(file: path, message: "not found or unreadable")] }
        guard let text = String(data: data, encoding: .utf8) else { return [CatalogError(file: path, message: "not UTF-8 text")] }
        switch SourceParser.parse(fileName: name, text: text, baseDirectory: url.deletingLastPathComponent(), minimumEvery: minimumEvery) {
        case .success(let source): return problems(of: source, file: name)
        case .failure(let found): return found.problems
        }
    }

    /// What only shows once the file has parsed: selectors, and a `file:` URL that points nowhere.
    static func problems(of source: Source, file: String) -> [CatalogError] {
        var problems = SelectorCheck.problems(in: source, file: file)
        if source.url.isFileURL && !FileManager.default.fileExists(atPath: source.url.path) {
            problems.append(CatalogError(file: file, key: "url", message: "no such file: \(source.url.path)"))
        }
        return problems
    }
}
