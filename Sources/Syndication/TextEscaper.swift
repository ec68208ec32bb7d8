/// The one pass every piece of text takes on its way into a file, working on UTF-8 bytes:
/// drops what XML 1.0 forbids or discourages (see `FeedText.isAllowed`), turns CR and
/// CRLF into LF, and escapes for the place the text goes. Byte-level because feeds are
/// mostly long article bodies: a scalar-by-scalar `String` loop was the publisher's
/// bottleneck (perf on 50 sources × 100 entries of 6 KB).
enum TextEscaper {
    enum Context {
        /// Only remove forbidden characters.
        case none
        /// XML character data: `& < >`.
        case xmlText
        /// XML attribute values in double quotes: also `"`, tab and newline.
        case xmlAttribute
        /// HTML text and attribute values: `& < > " '`.
        case html
        /// The inside of a JSON string (RFC 8259 §7), also escaping U+2028/U+2029 for JavaScript.
        case json
    }

    static func escaped(_ text: String, for context: Context) -> String {
        var copy = text
        return copy.withUTF8 { input in
            if isUnchanged(input, context) { return text }
            var output: [UInt8] = []
            output.reserveCapacity(input.count + input.count / 8)
            append(input, context, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Appends `text`, cleaned and escaped, to a byte buffer.
    static func append(_ text: String, for context: Context, to output: inout [UInt8]) {
        var copy = text
        copy.withUTF8 { input in
            if isUnchanged(input, context) {
                output.append(contentsOf: input)
            } else {
                append(input, context, to: &output)
            }
        }
    }

    /// The fast path: printable ASCII and multi-byte sequences that cannot be forbidden, with
    /// nothing to escape. (Any 0xC2 or 0xEF/0xF0–0xF4 lead byte, or 0xE2 in JSON, takes the slow path.)
    private static func isUnchanged(_ input: UnsafeBufferPointer<UInt8>, _ context: Context) -> Bool {
        for byte in input {
            switch byte {
            case 0x20...0x7E:
                if needsEscape(byte, context) { return false }
            case 0x0A:
                if context == .xmlAttribute || context == .json { return false }
            case 0x09:
                if context == .xmlAttribute || context == .json { return false }
            case 0x80...0xBF, 0xC3...0xE1, 0xE3...0xEE:
                continue
            case 0xE2:
                if context == .json { return false }
            default:
                return false
            }
        }
        return true
    }

    private static func needsEscape(_ byte: UInt8, _ context: Context) -> Bool {
        switch (byte, context) {
        case (_, .none): return false
        case (0x26, .xmlText), (0x3C, .xmlText), (0x3E, .xmlText): return true         // & < >
        case (0x26, .xmlAttribute), (0x3C, .xmlAttribute), (0x3E, .xmlAttribute), (0x22, .xmlAttribute): return true
        case (0x26, .html), (0x3C, .html), (0x3E, .html), (0x22, .html), (0x27, .html): return true
        case (0x22, .json), (0x5C, .json): return true                                  // " \
        default: return false
        }
    }

    /// Copies runs of bytes that stay as they are in one piece; only what is dropped or
    /// escaped interrupts a run.
    private static func append(_ input: UnsafeBufferPointer<UInt8>, _ context: Context, to output: inout [UInt8]) {
        var i = 0
        var runStart = 0
        let n = input.count
        func flush(_ end: Int, _ output: inout [UInt8]) {
            if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<end])) }
        }
        while i < n {
            let byte = input[i]
            if byte < 0x80 {
                if byte >= 0x20 && byte != 0x7F && !needsEscape(byte, context) { i += 1; continue }
                if (byte == 0x0A || byte == 0x09) && (context != .xmlAttribute && context != .json) { i += 1; continue }
                flush(i, &output)
                i += 1
                switch byte {
                case 0x0D:
                    if i < n && input[i] == 0x0A { i += 1 }
                    appendASCII(0x0A, context, to: &output)
                case 0x09, 0x0A, 0x20...0x7E:
                    appendASCII(byte, context, to: &output)
                default:
                    break                                                   // C0 controls and DEL
                }
                runStart = i
                continue
            }
            // Swift strings are valid UTF-8: the lead byte gives the length.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var scalar = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
            for k in 1..<length { scalar = scalar << 6 | UInt32(input[i + k] & 0x3F) }
            let allowed = Unicode.Scalar(scalar).map(FeedText.isAllowed) ?? false
            let isLineSeparator = context == .json && (scalar == 0x2028 || scalar == 0x2029)
            if allowed && !isLineSeparator { i += length; continue }
            flush(i, &output)
            if isLineSeparator { output.append(contentsOf: (scalar == 0x2028 ? "\\u2028" : "\\u2029").utf8) }
            i += length
            runStart = i
        }
        flush(n, &output)
    }

    private static func appendASCII(_ byte: UInt8, _ context: Context, to output: inout [UInt8]) {
        let replacement: String?
        switch (byte, context) {
        case (0x26, .xmlText), (0x26, .xmlAttribute), (0x26, .html): replacement = "&amp;"
        case (0x3C, .xmlText), (0x3C, .xmlAttribute), (0x3C, .html): replacement = "&lt;"
        case (0x3E, .xmlText), (0x3E, .xmlAttribute), (0x3E, .html): replacement = "&gt;"
        case (0x22, .xmlAttribute), (0x22, .html): replacement = "&quot;"
        case (0x27, .html): replacement = "&#39;"
        case (0x0A, .xmlAttribute): replacement = "&#10;"
        case (0x09, .xmlAttribute): replacement = "&#9;"
        case (0x22, .json): replacement = "\\\""
        case (0x5C, .json): replacement = "\\\\"
        case (0x0A, .json): replacement = "\\n"
        case (0x09, .json): replacement = "\\t"
        default: replacement = nil
        }
        if let replacement {
            output.append(contentsOf: replacement.utf8)
        } else {
            output.append(byte)
        }
    }
}
