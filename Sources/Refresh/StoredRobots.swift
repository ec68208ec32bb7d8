import Fetching
import Foundation
import Storage
import TidingsCore

/// The Fetcher's robots.txt answers, kept in the state database across runs. A store that
/// fails is only a cache miss: robots.txt is then asked again.
struct StoredRobots: RobotsStore {
    let store: any ArticleStore

    func answer(origin: String) async -> StoredRobotsAnswer? {
        try? await store.robotsRecord(origin: origin)
    }

    func keep(_ answer: StoredRobotsAnswer) async {
        try? await store.saveRobotsRecord(answer)
    }
}
