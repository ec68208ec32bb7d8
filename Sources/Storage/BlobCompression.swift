import CZlib

/// Stored article bodies are zlib-compressed (RFC 1950): news HTML and its plain text shrink
/// three to five times, which keeps the state database small and its pages in the OS cache.
/// Layout: the uncompressed length as a LEB128 varint, then the zlib stream.
enum BlobCompression {
    /// zlib's default level: within a few per cent of level 9 on article HTML, at a third of the time.
    static let level: Int32 = 6
    /// A stored length past this is damage, not an article (the fetcher caps pages at 10 MiB).
    static let largestBody = 256 << 20

    /// nil only when zlib cannot allocate its state.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var output = ByteWriter()
        output.varint(UInt64(bytes.count))
        var bound = compressBound(uLong(bytes.count))
        let header = output.bytes.count
        output.bytes.append(contentsOf: repeatElement(0, count: Int(bound)))
        let status = output.bytes.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress! + header, &bound, input.baseAddress, uLong(input.count), level)
            }
        }
        guard status == Z_OK else { return nil }
        output.bytes.removeLast(output.bytes.count - header - Int(bound))
        return output.bytes
    }

    /// The original bytes, or nil when the blob is damaged.
    static func decompress(_ blob: UnsafeRawBufferPointer) -> [UInt8]? {
        var reader = ByteReader(blob)
        guard let length = reader.varint(), length <= largestBody else { return nil }
        if length == 0 { return [] }
        var output = [UInt8](repeating: 0, count: Int(length))
        var produced = uLong(length)
        let remaining = blob.count - reader.offset
        let status = output.withUnsafeMutableBufferPointer { out in
            uncompress(out.baseAddress, &produced, blob.baseAddress!.assumingMemoryBound(to: Bytef.self) + reader.offset,
                       uLong(remaining))
        }
        guard status == Z_OK, produced == uLong(length) else { return nil }
        return output
    }
}
