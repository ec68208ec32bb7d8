import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("Retry-After and backoff")
struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z

    @Test("Retry-After values are read as RFC 9110 §10.2.3 says and clamped to 1 min – 48 h", arguments: [
        ("120", 120.0),                                        // delay-seconds
        ("0", 60.0),                                           // clamped up to the minimum
        ("999999", 172_800.0),                                 // clamped down to 48 h
        ("Thu, 28 May 2026 20:36:40 GMT", 600.0),              // IMF-fixdate, 10 min ahead
        ("Thursday, 28-May-26 20:36:40 GMT", 600.0),           // obsolete RFC 850 form
        ("Thu May 28 20:36:40 2026", 600.0),                   // obsolete asctime form
        ("Thu, 28 May 2026 20:00:00 GMT", 60.0),               // a date in the past: the minimum
    ])
    func parsing(value: String, seconds: Double) {
        #expect(RetryAfter.seconds(value, now: Self.now) == seconds)
    }

    @Test("an unreadable Retry-After gives nothing", arguments: ["soon", "-5", "", "12.5"])
    func unreadable(value: String) {
        #expect(RetryAfter.seconds(value, now: Self.now) == nil)
    }

    @Test("a 429 with Retry-After holds the whole host until the wait is over")
    func retryAfterHonoured() async throws {
        let server = try LoopbackServer { request in
            if request.path == "/busy" { return LoopbackResponse(status: 429, headers: [("Retry-After", "120")]) }
            return .text("<p>fine</p>")
        }
        let clock = ManualClock()
        let fetcher = loopbackFetcher(clock: clock)
        let first = await fetchError(fetcher, FetchRequest(url: server.url("/busy")))
        #expect(first == .rateLimited(server.url("/busy"), status: 429, retryAfter: 120))
        #expect(first?.retryAfter == 120)

        clock.advance(by: 119)
        let held = await fetchError(fetcher, FetchRequest(url: server.url("/other")))
        #expect(held?.kind == "rate_limited")
        #expect(held?.retryAfter == 1)
        #expect(server.requestCount("/other") == 0)

        clock.advance(by: 2)
        let page = try await fetchPage(fetcher, FetchRequest(url: server.url("/other")))
        #expect(page?.text == "<p>fine</p>")
    }

    @Test("a 503 with Retry-After is surfaced in the error; a bare 503 is a plain status error")
    func serviceUnavailable() async throws {
        let server = try LoopbackServer { request in
            if request.path == "/maintenance" { return LoopbackResponse(status: 503, headers: [("Retry-After", "3600")]) }
            return LoopbackResponse(status: 503)
        }
        let fetcher = loopbackFetcher(clock: ManualClock())
        #expect(await fetchError(fetcher, FetchRequest(url: server.url("/down"))) == .httpStatus(server.url("/down"), 503))
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/maintenance")))
        #expect(error?.retryAfter == 3600)
    }
}
