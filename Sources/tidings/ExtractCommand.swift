import ArgumentParser
import Discovery
import Extraction
import Fetching
import Foundation
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
            are written to --out, ready for the bench's score.py.
            """)

    @Option(name: .long, help: "The URL a file was fetched from; relative links resolve against it.")
    var url: String?

    @Option(name: .long, help: "The time zone for dates printed without an offset, e.g. Asia/Shanghai.")
    var timezone: String?

    @Flag(name: .long, help: "Print the articles as JSON.")
    var json = false

    @Option(name: .long, help: "Run the extraction bench over this corpus folder.")
    var bench: String?

    @Option(name: .long, help: "Where --bench writes its predictions.")
    var out: String?

    @Option(name: .customLong("repeat"), help: "How many timed passes --bench makes over each set (pages/s is from the first).")
    var passes: Int = 1

    @OptionGroup var settingsOptions: SettingsOptions

    @Argument(help: "HTML files or URLs.")
    var inputs: [String] = []

    func validate() throws {
        if bench != nil && out == nil { throw ValidationError("--bench needs --out PRED_DIR.") }
        if bench == nil && inputs.isEmpty { throw ValidationError("Give at least one FILE or URL, or --bench.") }
        if let timezone, TimeZone(identifier: timezone) == nil { throw ValidationError("Unknown time zone \(timezone).") }
    }

    func run() async throws {
        var configuration = ExtractorConfiguration()
        if let timezone { configuration.timeZone = TimeZone(identifier: timezone) }
        let extractor = Extractor(configuration: configuration)
        if let bench, let out {
            try ExtractionBench(corpus: URL(fileURLWithPath: bench), output: URL(fileURLWithPath: out),
                                extractor: extractor, passes: max(1, passes)).run()
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
/// pages already in memory, pinned to one core, first pass over unseen pages).
struct ExtractionBench {
    let corpus: URL
    let output: URL
    let extractor: Extractor
    let passes: Int

    struct Item {
        var id: String
        var url: URL
        var bytes: Data
    }

    func run() throws {
        Self.pinToOneCore()
        let fm = FileManager.default
        let sets = try fm.contentsOfDirectory(atPath: corpus.path).sorted().filter { name in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        // warm-up outside the timing, as the Python harness does
        _ = extractor.extract(html: "<html><body><p>" + String(repeating: "Warm up paragraph, nothing more. ", count: 20) + "</p></body></html>",
                              url: URL(string: "http://example.invalid/warm-up")!)
        for set in sets {
            let items = try load(set: set)
            guard !items.isEmpty else { continue }
            var results: [(String, [String: Any])] = []
            var passTimes: [Double] = []
            var cpuTimes: [Double] = []
            for pass in 0..<passes {
                let cpuStart = Self.cpuSeconds()
                var batch: [(String, [String: Any])] = []
                batch.reserveCapacity(items.count)
                let start = DispatchTime.now().uptimeNanoseconds
                for item in items {
                    let decoded = CharsetDecoder.decode(item.bytes, contentType: nil)
                    let result = extractor.extract(html: decoded.text, url: item.url)
                    batch.append((item.id, Self.prediction(result)))
                }
                passTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpuTimes.append(Self.cpuSeconds() - cpuStart)
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
            var p: [String: Any] = ["text": "", "error": f.description]
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
