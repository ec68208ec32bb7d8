import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("Tasks on the engine thread")
struct EngineExecutorTests {
    /// The kernel's name of the current thread.
    static func threadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("tasks that prefer the fetcher's executor resume on the engine thread after each fetch, and all fetches complete")
    func resumesOnEngineThread() async throws {
        let server = try LoopbackServer(keepAlive: true) { request in .text("<p>\(request.path)</p>") }
        defer { server.stop() }
        let fetcher = loopbackFetcher { $0.perHostConcurrency = 4 }
        let urls = (0..<40).map { server.url("/page/\($0)") }
        let results = await withTaskExecutorPreference(fetcher.taskExecutor) {
            await withTaskGroup(of: (text: String?, thread: String).self) { group in
                for url in urls {
                    group.addTask {
                        let page = try? await fetchPage(fetcher, FetchRequest(url: url))
                        return (page?.text, Self.threadName())
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(Set(results.compactMap(\.text)) == Set(urls.map { "<p>\($0.path)</p>" }))
        #expect(results.allSatisfy { $0.thread == TransferEngine.threadName }, "\(Set(results.map(\.thread)))")
    }

    @Test("tasks without the preference resume elsewhere, so heavy work never holds up transfers")
    func othersStayOffTheEngineThread() async throws {
        let server = try LoopbackServer { _ in .text("<p>x</p>") }
        defer { server.stop() }
        let fetcher = loopbackFetcher()
        _ = try await fetchPage(fetcher, FetchRequest(url: server.url("/")))
        #expect(Self.threadName() != TransferEngine.threadName)
    }

    @Test("a task that arrives once the engine has stopped still runs, elsewhere")
    func jobsAfterShutdownRun() async throws {
        let engine = TransferEngine(configuration: FetcherConfiguration())
        let executor = try #require(engine.executor)
        engine.shutdown()
        let deadline = Date().addingTimeInterval(10)
        while executor.runsOnEngineThread && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!executor.runsOnEngineThread)
        let ran = await withTaskExecutorPreference(executor) {
            await Task { Self.threadName() }.value
        }
        #expect(ran != TransferEngine.threadName)
    }
}
