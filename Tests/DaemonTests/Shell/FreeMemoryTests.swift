import Foundation
import Testing
@testable import Daemon

@Suite("Giving freed memory back")
struct FreeMemoryTests {
    /// Resident bytes of this process, from /proc/self/statm.
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let pages = try #require(Int(statm.split(separator: " ")[1]))
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test("pages malloc keeps after a burst of small allocations go back to the kernel")
    func freedPagesGoBack() throws {
        let blockBytes = 1024, blocks = 64 * 1024  // 64 MiB in small blocks, which malloc serves from its heap
        var allocations = (0..<blocks).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: blockBytes)
            return block
        }
        // One block kept at the top of the heap: without it, free() alone would shrink the heap.
        let guardBlock = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { guardBlock.deallocate() }
        allocations.forEach { $0.deallocate() }
        allocations = []
        let before = try Self.residentBytes()
        #expect(FreeMemory.returnToSystem())
        let after = try Self.residentBytes()
        #expect(before - after > 32 << 20, "resident \(before >> 20) MiB before, \(after >> 20) MiB after")
    }
}
