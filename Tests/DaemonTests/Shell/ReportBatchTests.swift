import Foundation
import Refresh
import Testing
import TidingsCore
@testable import Daemon

@Suite("Reports of a refresh-all gathered into one answer")
struct ReportBatchTests {
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [[RefreshReport]] = []
        func add(_ reports: [RefreshReport]) { lock.withLock { answers.append(reports) } }
        var all: [[RefreshReport]] { lock.withLock { answers } }
    }

    static func report(_ id: String) -> RefreshReport {
        let now = Timestamp.now()
        return RefreshReport(sourceID: id, startedAt: now, finishedAt: now)
    }

    @Test("the answer comes once, after the last run, in source order, without the runs that gave none")
    func answersOnceInOrder() {
        let answers = Answers()
        let batch = ReportBatch(expecting: 4) { answers.add($0) }
        batch.add(Self.report("c"))
        batch.add(nil)
        batch.add(Self.report("a"))
        #expect(answers.all.isEmpty)
        batch.add(Self.report("b"))
        #expect(answers.all.map { $0.map(\.sourceID) } == [["a", "b", "c"]])
    }

    @Test("no sources: the answer is empty and immediate")
    func emptyCatalog() {
        let answers = Answers()
        _ = ReportBatch(expecting: 0) { answers.add($0) }
        #expect(answers.all.map(\.count) == [0])
    }

    @Test("runs ending on many threads at once give one complete answer")
    func concurrentRuns() async {
        let answers = Answers()
        let ids = (0..<2_000).map { "s\($0)" }
        let batch = ReportBatch(expecting: ids.count) { answers.add($0) }
        await withTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { batch.add(Self.report(id)) } }
        }
        #expect(answers.all.count == 1)
        #expect(answers.all.first?.map(\.sourceID) == ids.sorted())
    }
}
