import Fetching
import Foundation
import Rendering
import TidingsCore

/// Gets a source's page: from the fetcher, or from the renderer for what the source's
/// `render` asks to be built by its scripts first (the renderer's requests go through the same fetcher).
struct PageLoader: Sendable {
    let fetcher: Fetcher
    let renderer: Renderer

    func load(_ request: FetchRequest, rendered: Bool) async throws(RenderError) -> FetchOutcome {
        guard rendered else {
            do { return try await fetcher.fetch(request) } catch { throw .fetch(error) }
        }
        return try await renderer.render(request, using: fetcher).outcome
    }
}

extension RefreshIssue {
    /// A page that could not be had: a fetch failure keeps its `.fetch` kind, a browser failure is `.render`.
    static func loading(_ error: RenderError, sourceID: String, url: URL) -> RefreshIssue {
        if case .fetch(let fetchError) = error { return .fetching(fetchError, sourceID: sourceID, url: url) }
        return RefreshIssue(sourceID: sourceID, url: url.absoluteString, kind: IssueKind(.render, error.kind), message: error.description)
    }
}
