import Foundation
import Hummingbird
import NIOCore
import TidingsCore

extension FeedServer {
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("healthz") { _, _ in
            let status = self.driver.status
            guard self.driver.isAlive else { return Self.text(.serviceUnavailable, "the scheduler is not running\n") }
            if let failure = status.storeFailure {
                return Self.text(.serviceUnavailable, "the shared store is unreachable: \(failure)\n")
            }
            if let failure = status.publishFailure {
                return Self.text(.serviceUnavailable, "the feeds could not be written: \(failure)\n")
            }
            if !status.publishProblems.isEmpty {
                return Self.text(.serviceUnavailable, status.publishProblems.joined(separator: "\n") + "\n")
            }
            // Still 200: the node serves the feeds the store has; taking every node out of a
            // load balancer over a feeds/ folder that differs would serve nothing at all.
            if let problem = self.sharing?.report.catalogProblem { return Self.text(.ok, "ok, but \(problem)\n") }
            return Self.text(.ok, "ok\n")
        }
        router.get("status.json") { _, _ in
            let status = self.driver.status
            let sharing = self.sharing?.report
            let body = self.rendered.body("status.json", generation: status.generation &+ (sharing?.hashValue ?? 0)) {
                var document = StatusDocument.make(status: status, isAlive: self.driver.isAlive,
                                                   sources: self.driver.currentSources, schedules: self.driver.schedules(),
                                                   health: self.driver.health(of:))
                document.sharing = sharing
                return Self.jsonData(document)
            }
            return Self.response(.ok, contentType: "application/json", body: body)
        }
        router.get("metrics") { _, _ in
            let status = self.driver.status
            let body = self.rendered.body("metrics", generation: status.generation) {
                let connections = self.gate.snapshot
                let server = MetricsText.ServerFigures(openConnections: connections.open, refusedConnections: connections.refused,
                                                       connectionLimit: self.gate.limit)
                return Data(MetricsText.render(status: status, isAlive: self.driver.isAlive, sources: self.driver.currentSources,
                                               health: self.driver.health(of:), server: server).utf8)
            }
            return Self.response(.ok, contentType: MetricsText.contentType, body: body)
        }
        router.post("refresh") { request, _ in
            if let denied = self.authorize(request) { return denied }
            let reports = await self.driver.refreshAllNow()
            return Self.json(.ok, RefreshResponse(reports: reports.map(RefreshReportDocument.init),
                                                      outputDirectory: self.configuration.outputDirectory.path))
        }
        router.post("refresh/:source") { request, context in
            if let denied = self.authorize(request) { return denied }
            let id = context.parameters.get("source") ?? ""
            guard self.driver.knows(id) else {
                return Self.json(.notFound, ["error": "no source named '\(id)' (see GET /status.json)"])
            }
            guard let report = await self.driver.refreshNow(id) else {
                return Self.json(.serviceUnavailable, ["error": "the daemon is stopping or '\(id)' was removed"])
            }
            return Self.json(.ok, RefreshResponse(reports: [RefreshReportDocument(report)],
                                                      outputDirectory: self.configuration.outputDirectory.path))
        }
        for method in [HTTPRequest.Method.get, .head, .put, .delete, .patch] {
            router.on("refresh", method: method) { _, _ in Self.methodNotAllowed() }
            router.on("refresh/:source", method: method) { _, _ in Self.methodNotAllowed() }
        }
        router.get("img/:signature/:payload") { request, context in await self.serveImage(request, context, isHead: false) }
        router.head("img/:signature/:payload") { request, context in await self.serveImage(request, context, isHead: true) }
        router.get("/") { request, _ in await self.serveFile(request, isHead: false) }
        router.head("/") { request, _ in await self.serveFile(request, isHead: true) }
        router.get("**") { request, _ in await self.serveFile(request, isHead: false) }
        router.head("**") { request, _ in await self.serveFile(request, isHead: true) }
        return router
    }

    func serveFile(_ request: Request, isHead: Bool) async -> Response {
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        let reply = await files.reply(StaticFiles.Request(path: path, isHead: isHead,
                                                          ifNoneMatch: request.headers[.ifNoneMatch],
                                                          ifModifiedSince: request.headers[.ifModifiedSince],
                                                          acceptEncoding: request.headers[.acceptEncoding],
                                                          range: request.headers[.range], ifRange: request.headers[.ifRange]))
        var headers = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPFields.Element.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: reply.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    func serveImage(_ request: Request, _ context: BasicRequestContext, isHead: Bool) async -> Response {
        guard let images else { return Self.text(.notFound, "the image proxy is not available\n") }
        let answer = await images.proxiedImage(signature: context.parameters.get("signature") ?? "",
                                               payload: context.parameters.get("payload") ?? "",
                                               ifNoneMatch: request.headers[.ifNoneMatch],
                                               source: { self.driver.source(named: $0) }, now: Date())
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPFields.Element.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: answer.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: isHead ? [] : answer.body)))
    }

    /// nil when the request carries the right Bearer token; otherwise the 401 to send.
    func authorize(_ request: Request) -> Response? {
        if RefreshToken.matches(request.headers[.authorization], token: token) { return nil }
        var response = Self.json(.unauthorized, ["error": "POST /refresh needs 'Authorization: Bearer <token>' (the token is in daemon.json in the state folder)"])
        response.headers[.wwwAuthenticate] = "Bearer realm=\"tidings\""
        return response
    }

    static func methodNotAllowed() -> Response {
        var response = json(.methodNotAllowed, ["error": "use POST to trigger a refresh"])
        response.headers[.allow] = "POST"
        return response
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        response(status, contentType: "text/plain; charset=utf-8", body: Data(text.utf8))
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        response(status, contentType: "application/json", body: jsonData(value))
    }

    static func jsonData(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, body: Data) -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
