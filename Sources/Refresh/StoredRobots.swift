import Fetching
import Foundation
import Storage

/// The Fetcher's robots.txt answers, kept in the state database across runs. A store that
/// fails is only a cache miss: robots.txt is then asked again.
struct StoredRobots: RobotsStore {
    let store: any ArticleStore

    func answer(origin: String) async -> StoredRobotsAnswer? {
        guard let record = try? await store.robotsRecord(origin: origin) else { return nil }
        return StoredRobotsAnswer(origin: record.origin, status: record.status, body: record.body, fetchedAt: record.fetchedAt)
    }

    func keep(_ answer: StoredRobotsAnswer) async {
        try? await store.saveRobotsRecord(RobotsRecord(origin: answer.origin, status: answer.status, body: answer.body,
                                                       fetchedAt: answer.fetchedAt))
    }
}
