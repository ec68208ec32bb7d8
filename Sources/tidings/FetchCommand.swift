import ArgumentParser
import Fetching
import Foundation
import Rendering
import TidingsCore

/// `tidings fetch`: shows what the fetch engine sees for some URLs, for users debugging a source.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetches URLs the way a refresh would and shows what came back.",
        discussion: """
            For each URL it prints the final URL after redirects, the status, the content type, \
            the charset chosen to decode the page and why, the body size, the time taken and the \
            validators (ETag, Last-Modified). With --urls it fetches every URL of a file through \
            the same engine, concurrently and politely, and prints one line per URL as each ends. \
            A refused or failed URL prints its error, and the exit status is then non-zero.
            """)

    /// Requests handed to the engine at once per global slot with --urls: enough to keep every
    /// slot busy while finished pages are decoded, few enough to keep memory flat.
    static let requestsInFlightPerSlot = 2

    @Argument(help: "The URLs to fetch (http or https).")
    var urls: [String] = []

    @Option(name: .customLong("urls"), help: ArgumentHelp("A file with one URL a line (blank lines and lines starting with # are skipped).", valueName: "file"))
    var urlFile: String?

    @OptionGroup var settingsOptions: SettingsOptions

    @OptionGroup var renderOptions: RenderOptions

    @Option(name: .long, help: ArgumentHelp("The most requests open at once to one host (default 1). Raise it only for hosts you own.", valueName: "n"))
    var perHost: Int?

    @Option(name: .long, help: ArgumentHelp("The least time, in seconds, between the starts of two requests to one host (default 1).", valueName: "seconds"))
    var hostGap: Double?

    @Option(name: .long, help: ArgumentHelp("The most requests open at once in all (default 16).", valueName: "n"))
    var concurrency: Int?

    @Flag(name: .long, help: "Do not ask robots.txt first (only for sites you own or have permission to crawl).")
    var ignoreRobots = false

    func validate() throws {
        if urls.isEmpty && urlFile == nil { throw ValidationError("Give at least one URL, or --urls FILE.") }
        if let perHost, perHost < 1 { throw ValidationError("--per-host must be at least 1.") }
        if let hostGap, hostGap < 0 { throw ValidationError("--host-gap cannot be negative.") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1.") }
    }

    /// The engine's options: flags, then the settings file, then the defaults.
    func fetcherConfiguration() throws -> FetcherConfiguration {
        let settings: Settings
        do { settings = try settingsOptions.settings() } catch { throw ValidationError("\(error)") }
        var configuration = settingsOptions.fetcherConfiguration(settings)
        configuration.obeysRobots = !ignoreRobots
        if let concurrency { configuration.globalConcurrency = concurrency }
        if let perHost { configuration.perHostConcurrency = perHost }
        if let hostGap { configuration.hostGap = hostGap }
        return configuration
    }

    func run() async throws {
        // Substrings of the file's text: 10,000 URLs stay one buffer instead of 10,000 strings.
        var list = urls.map { Substring($0) }
        if let urlFile {
            let text: String
            do { text = try String(contentsOfFile: urlFile, encoding: .utf8) } catch {
                throw ValidationError("Cannot read the URL list \(urlFile): \(error.localizedDescription)")
            }
            // Split on bytes: splitting Characters costs more than the fetches of a long list.
            list += text.utf8.split(separator: UInt8(ascii: "\n")).map { Self.trimmed(Substring($0)) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        let fetcher = Fetcher(configuration: try fetcherConfiguration())
        if renderOptions.render {
            if try await renderEach(list, fetcher: fetcher) > 0 { throw ExitCode(1) }
            return
        }
        let failures = urlFile == nil
            ? await fetchDetailed(list, fetcher: fetcher)
            : await fetchSummaries(list, fetcher: fetcher, workers: fetcher.configuration.globalConcurrency * Self.requestsInFlightPerSlot)
        if failures > 0 { throw ExitCode(1) }
    }

    /// `--render`: one page after the other, each with its details, what became of its
    /// requests, and the rendered HTML; returns the failure count.
    private func renderEach(_ list: [Substring], fetcher: Fetcher) async throws -> Int {
        let settings = try settingsOptions.settings()
        // One browser for the whole list: the first page pays for its start.
        let renderer = Renderer(configuration: RendererConfiguration(settings: settings))
        var failures = 0
        defer { Task { await renderer.shutdown() } }
        for line in list {
            let text = String(line)
            guard let url = URL(string: text), url.scheme != nil else {
                print("\(text)\n  error:         \(text): not a URL\n")
                failures += 1
                continue
            }
            do {
                guard let rendered = try await renderOptions.rendered(url, fetcher: fetcher, settings: settings, renderer: renderer) else { continue }
                let report = FetchReport(requested: text, outcome: .success(rendered.outcome), problem: nil, seconds: rendered.duration)
                let memory = await renderer.browserMemoryBytes.map { "\nbrowser memory: \($0 >> 20) MiB (proportional set size of the browser and its processes)" } ?? ""
                print(report.details + rendered.summary + memory + "\n")
                if case .page(let page) = rendered.outcome { print(page.text) }
            } catch {
                print("\(text)\n  error:         \(error)\n")
                failures += 1
            }
        }
        await renderer.shutdown()
        return failures
    }

    /// A line without the blanks around it.
    static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while let first = line.first, first == " " || first == "\t" { line.removeFirst() }
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
        return line
    }

    /// Every URL concurrently, then one block each in the order given; returns the failure count.
    private func fetchDetailed(_ list: [Substring], fetcher: Fetcher) async -> Int {
        let reports = await withTaskGroup(of: (Int, FetchReport).self) { group in
            for (index, line) in list.enumerated() {
                let text = String(line)
                group.addTask { (index, await FetchReport.fetch(text, with: fetcher)) }
            }
            var reports = [FetchReport?](repeating: nil, count: list.count)
            for await (index, report) in group { reports[index] = report }
            return reports.compactMap { $0 }
        }
        for report in reports { print(report.details) }
        return reports.filter(\.failed).count
    }

    /// Every URL through a fixed set of worker tasks, one line each as it ends; returns the
    /// failure count. Workers rather than a task per URL keep memory flat however long the list.
    private func fetchSummaries(_ list: [Substring], fetcher: Fetcher, workers: Int) async -> Int {
        let cursor = ListCursor(count: list.count)
        // Printing a line per page is light: the workers run on the engine's own thread, so a
        // finished transfer resumes its worker without a hand-over between threads.
        return await withTaskExecutorPreference(fetcher.taskExecutor) {
            await withTaskGroup(of: Int.self) { group in
                for _ in 0..<max(1, min(workers, list.count)) {
                    group.addTask {
                        var failures = 0
                        while let index = cursor.next() {
                            let report = await FetchReport.fetch(String(list[index]), with: fetcher)
                            print(report.summary)
                            if report.failed { failures += 1 }
                        }
                        return failures
                    }
                }
                return await group.reduce(0, +)
            }
        }
    }
}

/// Hands out the indexes of a list, each once, to concurrent workers.
final class ListCursor: @unchecked Sendable {
    // @unchecked Sendable: `position` is guarded by `lock`.
    private let lock = NSLock()
    private var position = 0
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func next() -> Int? {
        lock.withLock {
            guard position < count else { return nil }
            defer { position += 1 }
            return position
        }
    }
}

/// What one URL gave, ready to print.
struct FetchReport: Sendable {
    var requested: String
    var outcome: Result<FetchOutcome, FetchError>?
    var problem: String?
    var seconds: Double

    var failed: Bool {
        if problem != nil { return true }
        if case .failure = outcome { return true }
        return false
    }

    static func fetch(_ text: String, with fetcher: Fetcher) async -> FetchReport {
        guard let url = URL(string: text), url.scheme != nil else {
            return FetchReport(requested: text, outcome: nil, problem: "\(text): not a URL", seconds: 0)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Result<FetchOutcome, FetchError>
        do { outcome = .success(try await fetcher.fetch(FetchRequest(url: url))) } catch { outcome = .failure(error) }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return FetchReport(requested: text, outcome: outcome, problem: nil, seconds: seconds)
    }

    var details: String {
        if let problem { return "\(requested)\n  error:         \(problem)\n" }
        switch outcome {
        case .failure(let error)?:
            return "\(requested)\n  error:         \(error.description)\n  error kind:    \(error.kind)\n  time:          \(Self.format(seconds))\n"
        case .success(.notModified(let url))?:
            return "\(requested)\n  final URL:     \(url.absoluteString)\n  status:        304 not modified\n  time:          \(Self.format(seconds))\n"
        case .success(.page(let page))?:
            var lines = [
                requested,
                "  final URL:     \(page.url.absoluteString)",
                "  status:        \(page.status)" + (page.httpVersion.map { " over HTTP/\($0)" } ?? ""),
                "  content type:  \(page.contentType ?? "(none)")",
                "  charset:       \(page.charset) (\(page.charsetReason))",
                "  body size:     \(page.byteCount) bytes after content decoding",
                "  time:          \(Self.format(seconds)) in all, \(page.transferTime.map(Self.format) ?? "-") on the wire",
                "  ETag:          \(page.etag ?? "(none)")",
                "  Last-Modified: \(page.lastModified ?? "(none)")",
            ]
            if let hash = page.bodyHash { lines.append("  body hash:     \(hash)") }
            return lines.joined(separator: "\n") + "\n"
        case nil:
            return requested
        }
    }

    var summary: String {
        if let problem { return "error \(problem)" }
        switch outcome {
        case .failure(let error)?:
            return "error \(error.kind) \(Self.format(seconds)) \(error.description)"
        case .success(.notModified(let url))?:
            return "304 \(Self.format(seconds)) \(url.absoluteString)"
        case .success(.page(let page))?:
            return "\(page.status) \(page.byteCount)B \(page.charset) \(Self.format(seconds)) \(page.url.absoluteString)"
        case nil:
            return requested
        }
    }

    /// Seconds with three decimals ("0.042s"), without Foundation's format machinery.
    static func format(_ seconds: Double) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }
}
