import Foundation
import Testing
@testable import Daemon

@Suite("Giving freed memory back")
struct FreeMemoryTests {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// How many of the pages are in memory (mincore), so that other tests running in this
    /// process at the same time cannot blur the count the way they would the process's RSS.
    static func residentCount(_ pages: [UnsafeMutableRawPointer]) -> Int {
        var flag: UInt8 = 0
        return pages.filter { mincore($0, pageSize, &flag) == 0 && flag & 1 == 1 }.count
    }

    /// The pages that lie wholly inside runs of neighbouring blocks (blocks of one run are
    /// at most a malloc chunk header apart). Other threads of this process allocate at the
    /// same time, so the blocks need not be one run.
    static func pagesInside(_ addresses: [Int], blockBytes: Int) -> [UnsafeMutableRawPointer] {
        var runs: [(start: Int, end: Int)] = []
        for address in addresses.sorted() {
            if let last = runs.last, address - last.end <= 32 {
                runs[runs.count - 1].end = address + blockBytes
            } else {
                runs.append((address, address + blockBytes))
            }
        }
        return runs.flatMap { run in
            let first = (run.start + pageSize - 1) / pageSize * pageSize
            return stride(from: first, through: run.end - pageSize, by: pageSize)
        }.compactMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }

    @Test("pages malloc keeps after a burst of small allocations go back to the kernel")
    func freedPagesGoBack() throws {
        let blockBytes = 1024, blocks = 8 * 1024  // 8 MiB in small blocks, which malloc serves from its heap
        let allocations = (0..<blocks).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: blockBytes)
            return block
        }
        // One block kept at the top of the heap: without it, free() alone would shrink the heap.
        let guardBlock = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { guardBlock.deallocate() }
        let pages = Self.pagesInside(allocations.map { Int(bitPattern: $0) }, blockBytes: blockBytes)
        #expect(pages.count > blocks * blockBytes / Self.pageSize / 2, "only \(pages.count) whole pages among the blocks")
        allocations.forEach { $0.deallocate() }

        // No assertion on the count before: daemon tests running alongside trim too. Without a
        // working trim nobody does, and the freed pages all stay resident.
        let before = Self.residentCount(pages)
        #expect(FreeMemory.returnToSystem())
        let after = Self.residentCount(pages)
        #expect(after < pages.count / 10, "\(after) of \(pages.count) freed pages resident after, \(before) before")
    }
}
