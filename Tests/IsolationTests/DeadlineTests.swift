import Foundation
@testable import Isolation
import Testing

@Suite("One rearmable time limit per worker")
struct DeadlineTests {
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.withLock { value += 1 } }
        var current: Int { lock.withLock { value } }
    }

    @Test("an armed deadline runs its action once when its time comes")
    func firesOnce() async throws {
        let deadline = Deadline()
        let fired = Count()
        deadline.arm(after: 0.05) { fired.add() }
        #expect(deadline.isArmed)
        try await waitUntil(timeout: 10) { fired.current == 1 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(fired.current == 1)
        #expect(!deadline.isArmed)
    }

    @Test("a disarmed deadline never runs, and arming it again runs only the new action")
    func disarmAndRearm() async throws {
        let deadline = Deadline()
        let first = Count(), second = Count()
        // As a worker's requests do: armed and disarmed many times in a row, then once left armed.
        for _ in 0..<1_000 {
            deadline.arm(after: 0.1) { first.add() }
            deadline.disarm()
        }
        #expect(!deadline.isArmed)
        deadline.arm(after: 0.1) { first.add() }
        deadline.arm(after: 0.2) { second.add() }
        try await waitUntil(timeout: 10) { second.current == 1 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(first.current == 0, "replaced and disarmed actions do not run")
        #expect(second.current == 1)
    }

    @Test("a worker whose first page was quick is still killed when its second page hangs")
    func secondRequestStillLimited() async throws {
        let marker = "tidings-test-hang-\(UUID().uuidString)"
        let reader = WorkerPageReaderTests.reader(timeLimit: 2, environment: ["TIDINGS_WORKER_TEST_HANG": marker])
        let quick = try SamplePages.page(SamplePages.articlePaths[3])
        #expect(WorkerPageReaderTests.article(await reader.article(on: quick, of: SamplePages.source)) != nil)
        let hanging = try SamplePages.page(SamplePages.articlePaths[0], appending: "<!-- \(marker) -->")
        guard case .failure(let failure) = await reader.article(on: hanging, of: SamplePages.source) else {
            Issue.record("the hanging page gave an answer")
            return
        }
        #expect(failure.kind == .timedOut)
        #expect(reader.counts.timedOut == 1 && reader.counts.started == 1)
    }

    @Test("workers put back many times end once the idle timeout has passed since their last page")
    func idleSweepAfterManyPages() async throws {
        let reader = WorkerPageReaderTests.reader(workers: 2, idleTimeout: 5)
        let page = try SamplePages.page(SamplePages.articlePaths[3])
        for _ in 0..<6 {
            #expect(WorkerPageReaderTests.article(await reader.article(on: page, of: SamplePages.source)) != nil)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(reader.idleWorkerIDs.count == 1)
        // One sweep serves every put-back: it must come back for the worker used last.
        try await waitUntil(timeout: 30) { reader.idleWorkerIDs.isEmpty }
        #expect(reader.counts.started == 1, "one worker served every page")
    }
}
