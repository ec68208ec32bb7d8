import ArgumentParser
import Fetching
import Foundation
import Rendering
import TidingsCore

/// `--render` of `fetch`, `discover` and `extract`: the page as a `render` source sees it,
/// built by its scripts in headless Chromium, every request it makes through the fetcher.
struct RenderOptions: ParsableArguments {
    @Flag(name: .long, help: """
        Render the page in headless Chromium first, as a source with render = true is: its \
        scripts run, and every request they make goes through Tidings' fetcher (robots.txt, \
        address rules, host gaps). Needs Debian's chromium package.
        """)
    var render = false

    /// The page, rendered when `--render` was given (nil otherwise), with what became of its
    /// requests. Without `renderer` a browser is started for this page and stopped after it.
    func rendered(_ url: URL, fetcher: Fetcher, settings: Settings, renderer shared: Renderer? = nil) async throws -> RenderedPage? {
        guard render else { return nil }
        let renderer = shared ?? Renderer(configuration: RendererConfiguration(settings: settings))
        do {
            let rendered = try await renderer.render(FetchRequest(url: url), using: fetcher)
            if shared == nil { await renderer.shutdown() }
            return rendered
        } catch {
            if shared == nil { await renderer.shutdown() }
            throw CommandFailure(error.description)
        }
    }
}

extension RenderedPage {
    /// The rendered page, or an error for a 304 (never asked for: the commands send no validators).
    func page() throws -> Page {
        switch outcome {
        case .page(let page): return page
        case .notModified(let url): throw CommandFailure("\(url.absoluteString): unexpected 304 Not Modified")
        }
    }

    /// "rendered in 2.1 s (browser started): 14 requests, 12 answered, 1 refused, 1 skipped", then one line per refusal.
    var summary: String {
        var answered = 0, skipped = 0
        for request in requests {
            switch request.fate {
            case .answered: answered += 1
            case .skipped: skipped += 1
            case .failed: break
            }
        }
        var lines = [String(format: "rendered in %.1f s%@: %d requests, %d answered, %d refused, %d skipped%@",
                            duration, startedBrowser ? " (browser started)" : "", requests.count, answered,
                            refusals.count, skipped, budgetExpired ? "; the budget ran out before the network went quiet" : "")]
        for refusal in refusals { lines.append("  refused: \(refusal.error.description)") }
        for request in requests {
            if case .skipped(let why) = request.fate { lines.append("  skipped: \(request.url) (\(why))") }
        }
        return lines.joined(separator: "\n")
    }
}
