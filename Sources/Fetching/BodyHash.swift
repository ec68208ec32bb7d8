import Foundation

/// A 64-bit FNV-1a hash of a body, written "fnv1a64:<16 hex digits>". It tells an
/// unchanged page from a changed one when a server sends no validators; it is not a
/// security digest (a site can only fool itself), and it costs well under a millisecond for a page.
enum BodyHash {
    static let prefix = "fnv1a64:"
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func of(_ data: Data) -> String {
        var hash = offsetBasis
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* prime
            }
        }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
