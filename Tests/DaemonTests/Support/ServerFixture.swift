import Foundation
import TidingsCore
@testable import Daemon

/// A FeedServer on an ephemeral loopback port (or a unix socket) over a copy of the fixture
/// output folder, driven by a fake refresh pipeline.
final class ServerFixture: Sendable {
    static let token = "test-token-5d41402abc4b2a76"
    let service: FakeRefreshService
    let driver: SchedulerDriver
    let server: FeedServer
    let endpoint: BoundEndpoint
    let folder: URL

    var port: Int { Int(endpoint.url.split(separator: ":").last!)! }

    var target: RawHTTPClient.Target {
        if let path = endpoint.unixSocket { return .unixSocket(path) }
        return .tcp(port: Int(endpoint.url.split(separator: ":").last!)!)
    }

    init(sources: [Source] = [testSource("alpha", every: 1800), testSource("beta")], unixSocket: Bool = false,
         maxConnections: Int? = nil, requestTimeout: TimeInterval = ServerConfiguration.defaultRequestTimeout,
         sendTimeout: TimeInterval = ServerConfiguration.defaultSendTimeout) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-server-\(UUID().uuidString)")
        let publicFolder = folder.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/public")
        try FileManager.default.copyItem(at: fixtures, to: publicFolder)
        service = FakeRefreshService(sources: sources, lastAttemptAtStart: .now())  // only the refreshes a test asks for run
        driver = SchedulerDriver(service: service, logger: quietLogger())
        driver.start()
        let listen: ListenAddress = unixSocket ? .unixSocket(path: folder.appendingPathComponent("http.sock").path)
                                               : .tcp(host: "127.0.0.1", port: 0)
        server = FeedServer(configuration: ServerConfiguration(listen: listen, outputDirectory: publicFolder, maxConnections: maxConnections,
                                                               requestTimeout: requestTimeout, sendTimeout: sendTimeout),
                            driver: driver, token: Self.token, logger: quietLogger())
        endpoint = try await server.start()
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> RawHTTPResponse {
        try await RawHTTPClient.send("GET", path, to: target, headers: headers)
    }

    func post(_ path: String, token: String? = ServerFixture.token) async throws -> RawHTTPResponse {
        try await RawHTTPClient.send("POST", path, to: target, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    func shutDown() async {
        await server.stop()
        await driver.stop(gracePeriod: 1)
        try? FileManager.default.removeItem(at: folder)
    }
}
