import ArgumentParser
import Discovery
import Extraction
import Fetching
import Foundation
import Isolation
import TidingsCore

/// `tidings extract`: prints the article of pages (files or URLs), or runs the extraction bench.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extracts the article from pages and prints it.",
        discussion: """
            Give HTML files or http(s) URLs. A file is read as the bytes a server would send, so the \
            charset is chosen the same way as for fetched pages. With --bench, every page of a corpus \
            (CORPUS_DIR/<set>/<id>.html with <id>.json) is extracted and the predictions and timings \
            are written to --out, ready for the bench's score.py. A page refused as an article keeps its \
            "error" there, and its "text" is the main column the page shows instead (a listing's items).
            """)

    @Option(name: .long, help: "The URL a file was fetched from; relative links resolve against it.")
    var url: String?

    @Option(name: .long, help: "The time zone for dates printed without an offset, e.g. Asia/Shanghai.")
    var timezone: String?

    @Flag(name: .long, help: "Print the articles as JSON.")
    var json = false

    @Flag(name: .long, help: "Also print how the body was chosen: the candidate blocks of both scorers with their scores, the chosen elements and why they won. With --bench, each prediction records why (its timing is then not comparable).")
    var explain = false

    @Option(name: .long, help: "Run the extraction bench over this corpus folder.")
    var bench: String?

    @Option(name: .long, help: "Where --bench writes its predictions.")
    var out: String?

    @Option(name: .customLong("repeat"), help: "How many timed passes --bench makes over each set (pages/s is from the first).")
    var passes: Int = 1

    @Option(name: .long, help: "How --bench reads pages: direct (the extractor alone), in-process (as a refresh reads them, here) or workers (as a refresh reads them, in a worker process).")
    var reader: BenchReader = .direct

    @OptionGroup var settingsOptions: SettingsOptions

    @OptionGroup var renderOptions: RenderOptions

    @Argument(help: "HTML files or URLs.")
    var inputs: [String] = []

    func validate() throws {
        if bench != nil && out == nil { throw ValidationError("--bench needs --out PRED_DIR.") }
        if bench == nil && inputs.isEmpty { throw ValidationError("Give at least one FILE or URL, or --bench.") }
        if let timezone, TimeZone(identifier: timezone) == nil { throw ValidationError("Unknown time zone \(timezone).") }
        if explain && json { throw ValidationError("--explain prints text; leave out --json.") }
    }

    func run() async throws {
        // shown with --explain and scored by --bench (a refresh leaves it off)
        var configuration = ExtractorConfiguration(keepsNonArticleBody: true)
        if let timezone { configuration.timeZone = TimeZone(identifier: timezone) }
        let extractor = Extractor(configuration: configuration)
        if let bench, let out {
            try await ExtractionBench(corpus: URL(fileURLWithPath: bench), output: URL(fileURLWithPath: out),
                                      extractor: extractor, passes: max(1, passes), reader: try reader.pageReader(),
                                      explain: explain).run()
            return
        }
        let fetcher: Fetcher
        do {
            fetcher = Fetcher(configuration: settingsOptions.fetcherConfiguration(try settingsOptions.settings()))
        } catch let failure as CommandFailure {
            printFailure(failure)
            throw ExitCode(2)
        }
        var failures = 0
        for input in inputs {
            do {
                let page = try await load(input, fetcher: fetcher)
                if explain {
                    let explanation = extractor.explain(page)
                    print(Self.describe(explanation))
                    if case .failure(let failure) = explanation.result {
                        failures += 1
                        FileHandle.standardError.write(Data("tidings extract: \(input): \(failure)\n".utf8))
                    } else if case .success(let article) = explanation.result {
                        print(Self.describe(article, charset: page.charsetReason))
                    }
                    continue
                }
                switch extractor.extract(page) {
                case .success(let article): print(json ? Self.json(article) : Self.describe(article, charset: page.charsetReason))
                case .failure(let failure):
                    failures += 1
                    FileHandle.standardError.write(Data("tidings extract: \(input): \(failure)\n".utf8))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("tidings extract: \(input): \(error)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func load(_ input: String, fetcher: Fetcher) async throws -> Page {
        if let remote = URL(string: input), let scheme = remote.scheme?.lowercased(), scheme == "http" || scheme == "https" {
            if let rendered = try await renderOptions.rendered(remote, fetcher: fetcher, settings: try settingsOptions.settings()) {
                FileHandle.standardError.write(Data((rendered.summary + "\n").utf8))
                return try rendered.page()
            }
            switch try await fetcher.fetch(FetchRequest(url: remote)) {
            case .page(let page): return page
            case .notModified: throw ValidationError("the server answered 304 Not Modified")
            }
        }
        let file = URL(fileURLWithPath: input)
        let bytes = try Data(contentsOf: file)
        let decoded = CharsetDecoder.decode(bytes, contentType: nil)
        let pageURL = url.flatMap(URL.init(string:)) ?? file
        return Page(requestedURL: pageURL, url: pageURL, text: decoded.text, charset: decoded.charset,
                    charsetReason: decoded.reason, byteCount: bytes.count)
    }

    /// The article with the URL Discovery would know it by (its canonical hint when trusted).
    static func identified(_ article: Article) -> Article {
        var article = article
        let link = DiscoveredLink(url: article.url, title: article.title, via: .pageLinks)
        article.canonicalURL = IdentityResolver(listingURLs: [])
            .identity(.init(link: link, fetchedURL: article.url, canonicalHint: article.canonicalHint)).canonicalURL
        return article
    }

    static func describe(_ article: Article, charset: String) -> String {
        let a = identified(article)
        var lines = ["Title:     \(a.title)"]
        if let v = a.author { lines.append("Author:    \(v)") }
        if let v = a.published { lines.append("Published: \(v.rfc3339)") }
        if let v = a.outlet { lines.append("Outlet:    \(v)") }
        if let v = a.language { lines.append("Language:  \(v)") }
        lines.append("URL:       \(a.url.absoluteString)")
        if a.canonicalURL != a.url { lines.append("Canonical: \(a.canonicalURL.absoluteString)") }
        if let v = a.leadImage { lines.append("Image:     \(v.absoluteString)") }
        lines.append("Charset:   \(charset)")
        lines.append("")
        lines.append(a.text)
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// The `--explain` block: notes, candidates of both scorers, the chosen elements and the reason.
    static func describe(_ e: ExtractionExplanation) -> String {
        var lines = ["How the body was chosen:"]
        for note in e.notes { lines.append("  note: \(note)") }
        if e.candidates.isEmpty && e.chosen.isEmpty { lines.append("  no candidate block (no paragraph of running text)") }
        for scorer in ["paragraphs", "density"] {
            let rows = e.candidates.filter { $0.scorer == scorer }
            guard !rows.isEmpty else { continue }
            lines.append("  \(scorer) scorer, best first:")
            for c in rows {
                let mark = c.isChosen ? "*" : " "
                let score = String(format: "%9.1f", c.score), links = String(format: "%3.0f%%", c.linkDensity * 100)
                let characters = String(repeating: " ", count: max(0, 7 - String(c.characters).count)) + String(c.characters)
                lines.append("   \(mark) \(score) \(characters) chars \(links) links  \(c.element)")
            }
        }
        if !e.chosen.isEmpty {
            lines.append("  chosen (* above): " + e.chosen.joined(separator: " + "))
        }
        if !e.reason.isEmpty { lines.append("  why: \(e.reason)") }
        if case .failure(let failure) = e.result { lines.append("  result: \(failure)") }
        let around = [("taken out of the body", e.lines.pruned), ("before the body, nearest first", e.lines.before),
                      ("next to the headline (after it, then before it)", e.lines.nextToHeadline),
                      ("between the body's parts", e.lines.between),
                      ("after the body", e.lines.after)].filter { !$0.1.isEmpty }
        if !around.isEmpty { lines.append("Lines where a date or byline the page does not declare is looked for:") }
        for (place, found) in around {
            lines.append("  \(place):")
            lines += found.enumerated().map { "   \(String(format: "%3d", $0.offset + 1)) \($0.element.prefix(120))" }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func json(_ article: Article) -> String {
        let a = identified(article)
        var object: [String: Any] = [
            "url": a.url.absoluteString, "canonical_url": a.canonicalURL.absoluteString, "title": a.title,
            "html": a.html, "text": a.text, "summary": a.summary,
        ]
        object["author"] = a.author
        object["published"] = a.published?.rfc3339
        object["outlet"] = a.outlet
        object["language"] = a.language
        object["lead_image"] = a.leadImage?.absoluteString
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The bench of ../shared/bench/README.md: predictions `<out>/<set>/<id>.json` and
/// `<out>/<set>/_timing.json` with pages/s of the extraction loop (decode + parse + extract,
/// pages already in memory, pinned to one core, first pass over unseen pages). With a reader
/// the bytes go to it undecoded, as a refresh's article pages do (one trip to a worker).
struct ExtractionBench {
    let corpus: URL
    let output: URL
    let extractor: Extractor
    let passes: Int
    /// nil: the extractor alone; else pages go through the reader, as in a refresh.
    let reader: (any PageReader)?
    /// Record why each body was chosen in its prediction ("why", "notes", "chosen"); slower, and always
    /// in this process, so the timing is not comparable.
    var explain = false

    struct Item {
        var id: String
        var url: URL
        var bytes: Data
    }

    func run() async throws {
        Self.pinToOneCore()
        let fm = FileManager.default
        let sets = try fm.contentsOfDirectory(atPath: corpus.path).sorted().filter { name in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        // warm-up outside the timing, as the Python harness does
        // (through the reader too: a worker is started here, not inside the timed loop)
        _ = await extract("<html><body><p>" + String(repeating: "Warm up paragraph, nothing more. ", count: 20) + "</p></body></html>",
                          url: URL(string: "http://example.invalid/warm-up")!)
        for set in sets {
            let items = try load(set: set)
            guard !items.isEmpty else { continue }
            var results: [(String, [String: Any])] = []
            var passTimes: [Double] = []
            var cpuTimes: [Double] = []
            for pass in 0..<passes {
                let cpuStart = Self.cpuSeconds() + workersCPU
                var batch: [(String, [String: Any])] = []
                batch.reserveCapacity(items.count)
                let start = DispatchTime.now().uptimeNanoseconds
                for item in items {
                    if explain {
                        let decoded = CharsetDecoder.decode(item.bytes, contentType: nil)
                        let page = Page(requestedURL: item.url, url: item.url, text: decoded.text, charset: decoded.charset, charsetReason: decoded.reason)
                        let e = extractor.explain(page)
                        var p = Self.prediction(e.result)
                        p["why"] = e.reason
                        p["notes"] = e.notes
                        p["chosen"] = e.chosen
                        batch.append((item.id, p))
                        continue
                    }
                    let result = await extract(item)
                    batch.append((item.id, Self.prediction(result)))
                }
                passTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpuTimes.append(Self.cpuSeconds() + workersCPU - cpuStart)
                if pass == 0 { results = batch }
            }
            let dir = output.appendingPathComponent(set)
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            for (id, prediction) in results {
                let data = try JSONSerialization.data(withJSONObject: prediction, options: [.sortedKeys])
                try data.write(to: dir.appendingPathComponent(id + ".json"))
            }
            var timing: [String: Any] = ["n": items.count, "extract_s": passTimes[0],
                                         "pages_per_s": Double(items.count) / passTimes[0], "passes_s": passTimes,
                                         "cpu_s": cpuTimes[0], "cpu_pages_per_s": Double(items.count) / cpuTimes[0]]
            if passTimes.count > 1, let fastest = passTimes.dropFirst().min() {
                timing["warm_pages_per_s"] = Double(items.count) / fastest
            }
            try JSONSerialization.data(withJSONObject: timing, options: [.sortedKeys])
                .write(to: dir.appendingPathComponent("_timing.json"))
            print("\(set): \(items.count) pages in \(String(format: "%.3f", passTimes[0])) s, "
                  + "\(String(format: "%.1f", Double(items.count) / passTimes[0])) pages/s "
                  + "(CPU \(String(format: "%.3f", cpuTimes[0])) s, \(String(format: "%.1f", Double(items.count) / cpuTimes[0])) pages per CPU second)")
        }
    }

    /// CPU seconds of the worker processes so far (the bench's CPU time counts both sides).
    private var workersCPU: Double { (reader as? WorkerPageReader)?.idleWorkersCPUSeconds ?? 0 }

    /// One bench page: decoded here and extracted, or handed to the reader undecoded as a
    /// refresh hands it an article page (decoded and extracted in one step, in the worker).
    private func extract(_ item: Item) async -> Result<Article, ExtractionFailure> {
        guard reader != nil else { return extractor.extract(html: CharsetDecoder.decode(item.bytes, contentType: nil).text, url: item.url) }
        var page = Page(requestedURL: item.url, url: item.url, text: "", byteCount: item.bytes.count)
        page.undecodedBody = [UInt8](item.bytes)
        return await extract(page)
    }

    private func extract(_ html: String, url: URL) async -> Result<Article, ExtractionFailure> {
        guard reader != nil else { return extractor.extract(html: html, url: url) }
        return await extract(Page(requestedURL: url, url: url, contentType: "text/html", text: html))
    }

    private func extract(_ page: Page) async -> Result<Article, ExtractionFailure> {
        guard let reader else { return .failure(ExtractionFailure(.unparsable, "no reader")) }
        let url = page.url
        switch await reader.article(on: page, of: Source(id: "bench", title: "bench", url: url, timeZone: extractor.configuration.timeZone?.identifier)) {
        case .success(let read): return read.article
        case .failure(let failure): return .failure(ExtractionFailure(.unparsable, failure.description))
        }
    }

    private func load(set: String) throws -> [Item] {
        let dir = corpus.appendingPathComponent(set)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".html") }.sorted()
        return try names.map { name in
            let id = String(name.dropLast(5))
            let bytes = try Data(contentsOf: dir.appendingPathComponent(name))
            var url = URL(string: "http://example.invalid/\(set)/\(id).html")!
            if let truth = try? Data(contentsOf: dir.appendingPathComponent(id + ".json")),
               let object = try? JSONSerialization.jsonObject(with: truth) as? [String: Any],
               let declared = object["url"] as? String, let parsed = URL(string: declared) {
                url = parsed
            }
            return Item(id: id, url: url, bytes: bytes)
        }
    }

    static func prediction(_ result: Result<Article, ExtractionFailure>) -> [String: Any] {
        switch result {
        case .success(let a):
            var p: [String: Any] = ["text": a.text, "title": a.title]
            p["author"] = a.author ?? NSNull()
            p["date"] = a.published?.rfc3339 ?? NSNull()
            return p
        case .failure(let f):
            // a refused page is scored on the main column it shows instead (score.py measures
            // main-content extraction); `error` records the refusal, which the bench counts
            var p: [String: Any] = ["text": f.metadata?.text ?? "", "error": f.description]
            p["title"] = f.metadata?.title ?? NSNull()
            p["author"] = f.metadata?.author ?? NSNull()
            p["date"] = f.metadata?.published?.rfc3339 ?? NSNull()
            return p
        }
    }

    /// CPU time of this process (user + system), which a loaded machine disturbs less than the wall clock.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Pins the process to the core it is running on, like the Python harness's sched_setaffinity.
    static func pinToOneCore() {
        #if os(Linux)
        let cpu = max(0, Int(linuxSchedGetCPU()))
        var mask = [UInt64](repeating: 0, count: 16)  // glibc's cpu_set_t: 1024 bits
        mask[cpu / 64] |= 1 << UInt64(cpu % 64)
        _ = mask.withUnsafeBytes { linuxSchedSetAffinity(0, $0.count, $0.baseAddress!) }
        #endif
    }
}

#if os(Linux)
// glibc declares these only under _GNU_SOURCE, which Swift's Glibc module does not set.
@_silgen_name("sched_getcpu") private func linuxSchedGetCPU() -> Int32
@_silgen_name("sched_setaffinity") private func linuxSchedSetAffinity(_ pid: Int32, _ size: Int, _ mask: UnsafeRawPointer) -> Int32
#endif

/// How `tidings extract --bench` reads pages (the overhead of workers is the difference
/// between in-process and workers: the same work, across a process boundary or not).
enum BenchReader: String, ExpressibleByArgument {
    case direct
    case inProcess = "in-process"
    case workers

    func pageReader() throws -> (any PageReader)? {
        switch self {
        case .direct: return nil
        case .inProcess: return InProcessPageReader()
        case .workers:
            guard let executable = WorkerConfiguration.currentExecutable else { throw CommandFailure("cannot find this executable to start workers") }
            return WorkerPageReader(configuration: WorkerConfiguration(executable: executable, workers: 1))
        }
    }
}
