extension TOMLScanner {
    /// `"…"` with escapes, on one line.
    mutating func basicString() throws(TOMLSyntaxError) -> String {
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek(), byte != .newline, byte != .carriageReturn else {
                throw error("the string is not closed with '\"' on its line")
            }
            switch byte {
            case .quote:
                advance()
                return String(decoding: text, as: UTF8.self)
            case .backslash:
                try escape(into: &text)
            default:
                if Self.isControl(byte) && byte != .tab { throw error("control character in a string (escape it)") }
                text.append(byte)
                advance()
            }
        }
    }

    /// `'…'` as written, on one line.
    mutating func literalString() throws(TOMLSyntaxError) -> String {
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = peek(), byte != .newline, byte != .carriageReturn else {
                throw error("the string is not closed with \"'\" on its line")
            }
            advance()
            if byte == .apostrophe { return String(decoding: text, as: UTF8.self) }
            if Self.isControl(byte) && byte != .tab { throw error("control character in a string") }
            text.append(byte)
        }
    }

    /// `"""…"""` (escapes, line-ending backslashes) or `'''…'''` (as written). A newline right
    /// after the opening quotes is not part of the string; up to two quotes may end it.
    mutating func multilineString(literal: Bool) throws(TOMLSyntaxError) -> String {
        let delimiter: UInt8 = literal ? .apostrophe : .quote
        let startLine = line
        advance(3)
        if peek() == .newline { advance() } else if peek() == .carriageReturn && peek(1) == .newline { advance(2) }
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw TOMLSyntaxError(line: startLine, message: "the multi-line string is never closed")
            }
            if byte == delimiter && peek(1) == delimiter && peek(2) == delimiter {
                var run = 3
                while peek(run) == delimiter { run += 1 }
                guard run <= 5 else { throw error("too many quotes at the end of a multi-line string") }
                text += [UInt8](repeating: delimiter, count: run - 3)
                advance(run)
                return String(decoding: text, as: UTF8.self)
            }
            if byte == .backslash && !literal {
                if try !skipLineEndingBackslash() { try escape(into: &text) }
                continue
            }
            if byte == .carriageReturn && peek(1) != .newline { throw error("a carriage return must be followed by a line feed") }
            if Self.isControl(byte) && byte != .tab && byte != .newline && byte != .carriageReturn {
                throw error("control character in a string")
            }
            text.append(byte)
            advance()
        }
    }

    /// A backslash that ends its line drops it and the blanks and newlines after it.
    private mutating func skipLineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var offset = 1
        while let byte = peek(offset), byte == .space || byte == .tab { offset += 1 }
        guard peek(offset) == .newline || (peek(offset) == .carriageReturn && peek(offset + 1) == .newline) else { return false }
        advance(offset)
        while let byte = peek(), [.space, .tab, .newline, .carriageReturn].contains(byte) { advance() }
        return true
    }

    private mutating func escape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        advance()
        guard let code = peek() else { throw error("the string ends in a backslash") }
        advance()
        switch code {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(.tab)
        case UInt8(ascii: "n"): text.append(.newline)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(.carriageReturn)
        case .quote, .backslash: text.append(code)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = code == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for offset in 0..<count {
                guard let digit = peek(offset).flatMap({ Self.hexValue($0) }) else {
                    throw error("\\\(Character(Unicode.Scalar(code))) needs \(count) hexadecimal digits")
                }
                value = value * 16 + UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("\\\(Character(Unicode.Scalar(code))) names no Unicode character") }
            advance(count)
            text += Array(String(Character(scalar)).utf8)
        default:
            throw error("unknown escape \\\(Self.describe(code)) in a string")
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
