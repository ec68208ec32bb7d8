import Foundation
import Testing
@testable import Fetching

@Suite("Body hash")
struct BodyHashTests {
    @Test("the same bytes always give the same hash, written with its scheme name")
    func stable() {
        let page = Data("<html><body><p>城市新闻</p></body></html>".utf8)
        #expect(BodyHash.of(page) == BodyHash.of(Data(page)))
        #expect(BodyHash.of(page).hasPrefix("tidings64:"))
        #expect(BodyHash.of(page).count == "tidings64:".count + 16)
    }

    @Test("changing any one byte, or the length, changes the hash")
    func sensitive() {
        let base = [UInt8]((0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        var seen = Set([BodyHash.of(Data(base))])
        for position in base.indices {
            var changed = base
            changed[position] ^= 0x01
            seen.insert(BodyHash.of(Data(changed)))
        }
        for length in 0..<base.count { seen.insert(BodyHash.of(Data(base[0..<length]))) }
        #expect(seen.count == 1 + base.count + base.count)
    }
}
