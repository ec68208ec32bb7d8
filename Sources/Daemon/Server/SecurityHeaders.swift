import Hummingbird

/// Headers every answer carries, and the policy for HTML pages.
enum SecurityHeaders {
    /// Browsers must not guess another media type than the one sent (a feed entry's text
    /// sniffed as HTML would run as the server's origin).
    static let noSniff = ("X-Content-Type-Options", "nosniff")
    /// For index.html and any other HTML in the output folder: no script, plugin, frame or
    /// form at all; the page's own inline stylesheet and same-origin images only.
    static let htmlPolicy = ("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
}

/// Adds `X-Content-Type-Options: nosniff` to every response, errors included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = SecurityHeaders.noSniff.1
        return response
    }
}
