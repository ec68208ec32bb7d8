extension TOMLScanner {
    /// An integer, a float or a date/time: read as one token, then told apart.
    mutating func numberOrDate() throws(TOMLSyntaxError) -> TOMLValue {
        var token = takeToken()
        // A date and a time may be separated by a space: `1979-05-27 07:32:00`.
        if token.count == 10, Self.isDate(token[...]), peek() == .space, let next = peek(1), Self.isDigit(next),
           peek(3) == UInt8(ascii: ":") {
            advance()
            token += [.space] + takeToken()
        }
        let text = String(decoding: token, as: UTF8.self)
        if token.contains(UInt8(ascii: ":")) || (token.count >= 10 && Self.isDate(token.prefix(10))) {
            guard Self.isDateTime(token) else { throw error("'\(text)' is not a valid date or time") }
            return .dateTime(text)
        }
        if let integer = try Self.integer(token, text: text, line: line) { return .integer(integer) }
        if let float = Self.float(token) { return .float(float) }
        throw error("'\(text)' is not a valid number")
    }

    private mutating func takeToken() -> [UInt8] {
        var token: [UInt8] = []
        while let byte = peek(), Self.isBareKey(byte) || byte == .dot || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ":") {
            token.append(byte)
            advance()
        }
        return token
    }

    // MARK: Numbers

    /// nil when the token is not written as an integer; an error when it is one out of range.
    static func integer(_ token: [UInt8], text: String, line: Int) throws(TOMLSyntaxError) -> Int? {
        var digits = token[...]
        var radix = 10
        if token.count > 2, token[0] == UInt8(ascii: "0") {
            switch token[1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: break
            }
            if radix != 10 { digits = token.dropFirst(2) }
        }
        var sign = ""
        if radix == 10, let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? "-" : ""
            digits = digits.dropFirst()
        }
        guard isDigitRun(digits, radix: radix) else { return nil }
        if radix == 10, digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }  // no leading zeros
        let clean = sign + String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Int(clean, radix: radix) else {
            throw TOMLSyntaxError(line: line, message: "'\(text)' does not fit in a 64-bit integer")
        }
        return value
    }

    static func float(_ token: [UInt8]) -> Double? {
        var rest = token[...]
        var negative = false
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("inf".utf8) { return negative ? -.infinity : .infinity }
        if rest.elementsEqual("nan".utf8) { return .nan }
        let exponentAt = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = rest[..<(exponentAt ?? rest.endIndex)]
        let pointAt = mantissa.firstIndex(of: .dot)
        let whole = mantissa[..<(pointAt ?? mantissa.endIndex)]
        guard isDigitRun(whole, radix: 10), whole.count == 1 || whole.first != UInt8(ascii: "0") else { return nil }
        if let pointAt, !isDigitRun(mantissa[(pointAt + 1)...], radix: 10) { return nil }
        if let exponentAt {
            var exponent = rest[(exponentAt + 1)...]
            if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
            guard isDigitRun(exponent, radix: 10) else { return nil }
        }
        guard pointAt != nil || exponentAt != nil else { return nil }
        return Double(String(decoding: token.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self))
    }

    /// Digits of the radix, with single underscores only between digits.
    static func isDigitRun(_ bytes: ArraySlice<UInt8>, radix: Int) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return false }
        var previousWasUnderscore = false
        for byte in bytes {
            if byte == UInt8(ascii: "_") {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
                continue
            }
            previousWasUnderscore = false
            guard let value = hexValue(byte), Int(value) < radix else { return false }
        }
        return true
    }

    // MARK: Dates and times (RFC 3339 as TOML 1.0 allows it)

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `YYYY-MM-DD` of a day that exists (no 30 February).
    static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let month = number(b[5..<7]), let day = number(b[8..<10]), let year = number(b[0..<4]) else { return false }
        return CivilCalendar.isValid(year: year, month: month, day: day)
    }

    /// `HH:MM:SS` with an optional fraction.
    static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count >= 8, b[2] == UInt8(ascii: ":"), b[5] == UInt8(ascii: ":"),
              let hour = number(b[0..<2]), let minute = number(b[3..<5]), let second = number(b[6..<8]),
              hour < 24, minute < 60, second <= 60 else { return false }
        if b.count == 8 { return true }
        return b[8] == .dot && b.count > 9 && b[9...].allSatisfy(isDigit)
    }

    /// A local time, a local date, or a date and time, with an optional offset (`Z`, `+08:00`).
    static func isDateTime(_ token: [UInt8]) -> Bool {
        if isTime(token[...]) { return true }
        guard token.count >= 10, isDate(token[..<10]) else { return false }
        if token.count == 10 { return true }
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), .space].contains(token[10]) else { return false }
        var time = token[11...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count >= 6, let signAt = time.index(time.endIndex, offsetBy: -6, limitedBy: time.startIndex),
                  time[signAt] == UInt8(ascii: "+") || time[signAt] == UInt8(ascii: "-") {
            let offset = Array(time[(signAt + 1)...])
            guard offset.count == 5, offset[2] == UInt8(ascii: ":"), let hours = number(offset[0..<2]),
                  let minutes = number(offset[3..<5]), hours < 24, minutes < 60 else { return false }
            time = time[..<signAt]
        }
        return isTime(time)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
