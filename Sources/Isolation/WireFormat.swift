import Foundation
import TidingsCore

/// The bytes between the daemon and its workers: frames of a 4-byte little-endian length and
/// a payload of fixed-order fields (integers little-endian, strings as a length and UTF-8).
/// No JSON for the pages and articles: they are most of the bytes and go through as copies.
struct WireWriter {
    /// The frame being written: 4 bytes kept for the length, then the payload (so the
    /// finished frame is this buffer, never a copy of a page-sized payload).
    private var bytes: [UInt8] = [0, 0, 0, 0]

    init(capacity: Int = 1024) { bytes.reserveCapacity(4 + capacity) }

    /// The payload written so far (for tests).
    var payload: [UInt8] { Array(bytes.dropFirst(4)) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }
    mutating func double(_ value: Double) { u64(value.bitPattern) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            u64(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func data(_ value: Data) {
        u64(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func raw(_ value: [UInt8]) {
        u64(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout WireWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func array<T>(_ values: [T], _ write: (inout WireWriter, T) -> Void) {
        u64(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    mutating func url(_ value: URL) { string(value.absoluteString) }

    mutating func timestamp(_ value: Timestamp) {
        double(value.date.timeIntervalSince1970)
        int(value.offsetSeconds)
    }

    /// The finished frame: length, then payload; nil for a payload larger than a frame may be
    /// (`WorkerProcess.maximumFrame`: a page that big is refused, never sent with a wrong length).
    consuming func frame() -> [UInt8]? {
        let count = bytes.count - 4
        guard count <= WorkerProcess.maximumFrame else { return nil }
        for k in 0..<4 { bytes[k] = UInt8(truncatingIfNeeded: count >> (8 * k)) }
        return bytes
    }
}

/// Why a payload could not be read: the other side wrote something this side does not know.
struct WireError: Error, CustomStringConvertible {
    var description: String
}

struct WireReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    private mutating func take(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - index else { throw WireError(description: "the message ends early") }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    mutating func u8() throws(WireError) -> UInt8 {
        guard let byte = try take(1).first else { throw WireError(description: "the message ends early") }
        return byte
    }

    mutating func bool() throws(WireError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw WireError(description: "\(other) is not a boolean")
        }
    }

    mutating func u64() throws(WireError) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    mutating func int() throws(WireError) -> Int {
        let value = Int64(bitPattern: try u64())
        guard let int = Int(exactly: value) else { throw WireError(description: "\(value) does not fit an Int") }
        return int
    }

    mutating func double() throws(WireError) -> Double { Double(bitPattern: try u64()) }

    private mutating func count() throws(WireError) -> Int {
        let count = try u64()
        guard count <= UInt64(bytes.count - index) else { throw WireError(description: "a length of \(count) runs past the message") }
        return Int(count)
    }

    mutating func string() throws(WireError) -> String {
        String(decoding: try take(try count()), as: UTF8.self)
    }

    mutating func data() throws(WireError) -> Data { Data(try take(try count())) }

    mutating func raw() throws(WireError) -> [UInt8] { Array(try take(try count())) }

    mutating func optional<T>(_ read: (inout WireReader) throws(WireError) -> T) throws(WireError) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func array<T>(_ read: (inout WireReader) throws(WireError) -> T) throws(WireError) -> [T] {
        // Every element takes at least one byte, so a count past the bytes left is a lie.
        let count = try count()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    mutating func url() throws(WireError) -> URL {
        let text = try string()
        guard let url = URL(string: text) else { throw WireError(description: "'\(text)' is not a URL") }
        return url
    }

    mutating func timestamp() throws(WireError) -> Timestamp {
        let seconds = try double(), offset = try int()
        // What no parser gives: a broken worker's date must not reach the daemon's date arithmetic.
        guard seconds.isFinite, offset.magnitude <= 86400 else { throw WireError(description: "\(seconds) s at offset \(offset) is no date") }
        return Timestamp(date: Date(timeIntervalSince1970: seconds), offsetSeconds: offset)
    }
}
