/// One `Range: bytes=…` request (RFC 9110 §14.1.2). Only single ranges are served; a list of
/// several is answered with the whole file, which the RFC allows.
enum ByteRange: Equatable {
    case from(Int, to: Int?)
    case suffix(Int)

    /// nil when the header is not a single byte range this server understands.
    init?(header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes="), !text.contains(",") else { return nil }
        let spec = text.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let count = Int(last), count >= 0 else { return nil }
            self = .suffix(count)
            return
        }
        guard let start = Int(first), start >= 0 else { return nil }
        if last.isEmpty {
            self = .from(start, to: nil)
            return
        }
        guard let end = Int(last), end >= start else { return nil }
        self = .from(start, to: end)
    }

    /// The bytes selected in a body of `length` bytes; nil when none can be (416).
    func bounds(length: Int) -> ClosedRange<Int>? {
        switch self {
        case .from(let start, let end):
            guard start < length else { return nil }
            return start...min(end ?? length - 1, length - 1)
        case .suffix(let count):
            guard count > 0, length > 0 else { return nil }
            return max(0, length - count)...(length - 1)
        }
    }
}
