import CZlib
import Foundation

/// gzip (RFC 1952) in memory, for feed files sent to clients that accept it.
enum Gzip {
    /// Level 6: zlib's default, within a few per cent of level 9 on Atom XML at a third of the time.
    static let compressionLevel: Int32 = 6

    static func compress(_ data: Data) -> Data? {
        var stream = z_stream()
        guard tidings_deflate_init_gzip(&stream, compressionLevel) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let status: Int32 = data.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> Int32 in
            output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.count = Int(stream.total_out)
        return output
    }
}
