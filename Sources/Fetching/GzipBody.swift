import CZlib
import Foundation

/// A body that is itself a gzip file (a sitemap served as `sitemap.xml.gz` with
/// `Content-Type: application/gzip`), as opposed to a gzip *transfer* (Content-Encoding),
/// which curl undoes already. Decompressed within the decoded-body cap, so a small file that
/// unpacks to gigabytes stops at the cap.
enum GzipBody {
    static let mediaTypes: Set<String> = ["application/gzip", "application/x-gzip", "application/x-gunzip",
                                          "application/gzip-compressed", "application/x-gzip-compressed"]

    /// True for a body starting with the gzip magic bytes that is declared a gzip file or has
    /// a URL ending in `.gz`.
    static func isGzipFile(_ body: [UInt8], contentType: String?, url: URL) -> Bool {
        guard body.count >= 2, body[0] == 0x1F, body[1] == 0x8B else { return false }
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaTypes.contains(type) || url.path.lowercased().hasSuffix(".gz")
    }

    enum Failure: Error, Equatable {
        case tooLarge
        case broken(String)
    }

    /// Every member of the gzip file, concatenated, at most `limit` bytes.
    static func inflate(_ compressed: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        guard tidings_inflate_init_gzip(&stream) == Z_OK else { return .failure(.broken("zlib could not start")) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return compressed.withUnsafeBufferPointer { input -> Result<[UInt8], Failure> in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit { return .failure(.tooLarge) }
                output.append(contentsOf: chunk[..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (gzip files can be concatenated).
                    guard stream.avail_in > 0 else { return .success(output) }
                    guard inflateReset(&stream) == Z_OK else { return .failure(.broken("zlib could not go on")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(.broken("the gzip data ends too early"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.broken(message))
                }
            }
        }
    }
}
