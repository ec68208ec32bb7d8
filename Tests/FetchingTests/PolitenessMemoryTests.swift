import Foundation
import TestSupport
import Testing
@testable import Fetching

/// A replacement Fetcher (settings reloaded) picks up where the old one stopped.
@Suite("Politeness memory shared between fetchers")
struct PolitenessMemoryTests {
    @Test("a Retry-After hold and robots.txt learnt by one fetcher bind the next fetcher built with the same memory")
    func holdAndRobotsCarryOver() async throws {
        let server = try LoopbackServer { request in
            switch request.path {
            case "/robots.txt": return .text("User-agent: *\nDisallow: /private/\n", contentType: "text/plain")
            case "/busy": return LoopbackResponse(status: 429, headers: [("Retry-After", "3600")])
            default: return .text("<p>fine</p>")
            }
        }
        let memory = PolitenessMemory()
        let clock = ManualClock()
        var settings = FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0)
        let first = Fetcher(configuration: settings, politeness: memory, now: { clock.now })
        #expect(await fetchError(first, FetchRequest(url: server.url("/busy")))?.kind == "rate_limited")
        #expect(server.requestCount("/robots.txt") == 1)

        settings.globalConcurrency = 8  // another setting: a new fetcher, as after SIGHUP
        let second = Fetcher(configuration: settings, politeness: memory, now: { clock.now })
        clock.advance(by: 10)
        let held = await fetchError(second, FetchRequest(url: server.url("/news")))
        #expect(held?.kind == "rate_limited")
        #expect(held?.retryAfter == 3590)
        #expect(server.requestCount("/news") == 0, "the held host is not asked again")

        clock.advance(by: 3600)
        #expect(await fetchError(second, FetchRequest(url: server.url("/private/page")))?.kind == "robots")
        #expect(server.requestCount("/robots.txt") == 1, "robots.txt comes from the shared cache")
        let fresh = Fetcher(configuration: settings, now: { clock.now })
        _ = await fetchError(fresh, FetchRequest(url: server.url("/news")))
        #expect(server.requestCount("/robots.txt") == 2, "a fetcher with a memory of its own asks again")
    }

    @Test("a host started by an earlier engine waits out its gap in the next one")
    func gapCarriesOver() {
        var scheduler = HostScheduler<String>(globalLimit: 4, perHostLimit: 1)
        #expect(!scheduler.knows("a"))
        scheduler.remember("a", lastStart: 100)
        scheduler.enqueue("a1", id: 1, host: "a", gap: 5)
        #expect(scheduler.startReady(now: 102).isEmpty)
        #expect(scheduler.nextGapEnd() == 105)
        #expect(scheduler.startReady(now: 105).map(\.job) == ["a1"])
    }
}
