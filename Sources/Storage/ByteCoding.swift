import Foundation

/// Appends the pieces of the store's compact binary records: LEB128 varints, length-prefixed
/// UTF-8 strings and presence flags.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ text: String?) {
        bytes.append(text == nil ? 0 : 1)
        if let text { string(text) }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Reads what `ByteWriter` wrote; every read checks the bounds and returns nil past the end,
/// so a damaged record fails to decode instead of trapping.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func byte() -> UInt8? {
        guard offset < buffer.count else { return nil }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let b = byte() else { return nil }
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    mutating func string() -> String? {
        guard let length = varint(), length <= UInt64(buffer.count - offset) else { return nil }
        let count = Int(length)
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)]), as: UTF8.self)
    }

    /// nil: damaged; .some(nil): absent.
    mutating func optional() -> String?? {
        guard let flag = byte(), flag <= 1 else { return nil }
        if flag == 0 { return .some(nil) }
        guard let text = string() else { return nil }
        return .some(text)
    }

    mutating func uint64() -> UInt64? {
        guard buffer.count - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(buffer[offset + k]) << UInt64(8 * k) }
        offset += 8
        return value
    }
}
