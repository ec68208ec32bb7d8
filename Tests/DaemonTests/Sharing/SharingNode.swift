import Fetching
import Foundation
import Refresh
import Storage
import TestSupport
import TidingsCore
@testable import Daemon

/// One node of a test cluster: a real Refresher on a shared PostgreSQL store with folders of
/// its own, and a FeedServer on an ephemeral loopback port that serves the store's feed files
/// (`SharedFeeds`). The scheduler runs a fake pipeline: only the refreshes a test makes happen.
final class SharingNode: Sendable {
    let name: String
    let root: URL
    let store: PostgresStore
    let refresher: Refresher
    let sharing: SharedFeeds
    let driver: SchedulerDriver
    let server: FeedServer
    let endpoint: BoundEndpoint

    var publicFolder: URL { root.appendingPathComponent("public") }
    var feedsFolder: URL { root.appendingPathComponent("feeds") }
    var target: RawHTTPClient.Target { .tcp(port: Int(endpoint.url.split(separator: ":").last!)!) }

    init(_ name: String, conninfo: String, feeds: [String: String] = [:], publishFiles: SharingConfiguration.PublishFiles = .refreshing,
         pollInterval: TimeInterval = 3600, listeningPollInterval: TimeInterval = 3600, catalogInterval: TimeInterval = 3600,
         listenRetryDelay: TimeInterval = 3600, stalePublicFiles: [String: String] = [:]) async throws {
        self.name = name
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-node-\(name)-\(UUID().uuidString)")
        let feedsFolder = root.appendingPathComponent("feeds"), publicFolder = root.appendingPathComponent("public")
        for folder in [feedsFolder, publicFolder] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for (file, text) in feeds { try Data(text.utf8).write(to: feedsFolder.appendingPathComponent(file)) }
        for (file, text) in stalePublicFiles { try Data(text.utf8).write(to: publicFolder.appendingPathComponent(file)) }
        store = try await PostgresStore(conninfo: conninfo)
        let configuration = RefreshConfiguration(feedsDirectory: feedsFolder, outputDirectory: publicFolder,
                                                 stateDirectory: root.appendingPathComponent("state"),
                                                 fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0))
        let refresher = try await Refresher(configuration: configuration, store: store, logger: quietLogger())
        self.refresher = refresher
        sharing = SharedFeeds(configuration: SharingConfiguration(
            documents: store, node: name, publishFiles: publishFiles,
            writeFile: { file, bytes in try refresher.mirrorFile(named: file, bytes: bytes) },
            catalogDigest: { refresher.catalogDigest() },
            pollInterval: pollInterval, listeningPollInterval: listeningPollInterval, catalogInterval: catalogInterval,
            listenRetryDelay: listenRetryDelay), logger: quietLogger())
        await sharing.start()
        driver = SchedulerDriver(service: FakeRefreshService(sources: [], lastAttemptAtStart: .now()), logger: quietLogger())
        driver.start()
        server = FeedServer(configuration: ServerConfiguration(listen: .tcp(host: "127.0.0.1", port: 0), outputDirectory: publicFolder),
                            driver: driver, token: ServerFixture.token, logger: quietLogger(), sharing: sharing)
        endpoint = try await server.start()
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> RawHTTPResponse {
        try await RawHTTPClient.send("GET", path, to: target, headers: headers)
    }

    /// Refreshes the source and writes its feeds, as the daemon does after a run.
    func refreshAndPublish(_ source: Source) async throws {
        _ = await refresher.refresh(source)
        try await refresher.publish([source])
    }

    func localFile(_ name: String) -> Data? { FileManager.default.contents(atPath: publicFolder.appendingPathComponent(name).path) }

    func shutDown() async {
        await server.stop()
        await driver.stop(gracePeriod: 1)
        await sharing.stop()
        try? FileManager.default.removeItem(at: root)
    }
}

/// Checks `condition` every 50 ms for up to `timeout` seconds (generous: the machine is shared).
func eventually(timeout: TimeInterval = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return try await condition()
}
