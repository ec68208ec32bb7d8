import CCurl
import Foundation
import TidingsCore

/// Fetches pages with libcurl and decodes them to text.
public final class Fetcher: Sendable {
    public let configuration: FetcherConfiguration

    private static let globalInit: Void = { _ = tidings_global_init() }()

    public init(configuration: FetcherConfiguration = .init()) {
        _ = Self.globalInit
        self.configuration = configuration
    }

    /// Fetches one URL. A 304 answer to the request's validators gives `.notModified`.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchOutcome {
        let scheme = request.url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" || (scheme == "file" && request.allowFileScheme) else {
            throw .unsupportedScheme(request.url)
        }
        let configuration = self.configuration
        let result: Result<FetchOutcome, FetchError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Transfer(request: request, configuration: configuration).run())
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        return try result.get()
    }
}
