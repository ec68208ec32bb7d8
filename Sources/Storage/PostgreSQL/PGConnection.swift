import CPostgres
import Foundation

/// A value sent to PostgreSQL as a statement parameter.
enum PGValue: Sendable {
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case bytes([UInt8])
    case null

    static func optional(_ text: String?) -> PGValue { text.map(PGValue.text) ?? .null }
    static func optional(_ value: Int64?) -> PGValue { value.map(PGValue.int) ?? .null }
}

/// A failed statement or connection, with PostgreSQL's SQLSTATE when the server sent one.
struct PGFailure: Error, CustomStringConvertible {
    var message: String
    var sqlState: String?
    /// The connection itself is gone (server restarted, network): it must be opened again.
    var connectionLost: Bool

    var description: String { message }
}

/// One libpq connection, used by one thread at a time (the pool hands it out). Every call
/// blocks; the pool runs them off the cooperative thread pool.
final class PGConnection {
    private let connection: OpaquePointer

    init(_ conninfo: String) throws(PGFailure) {
        guard let opened = PQconnectdb(conninfo) else {
            throw PGFailure(message: "libpq could not allocate a connection", sqlState: nil, connectionLost: true)
        }
        connection = opened
        guard PQstatus(opened) == CONNECTION_OK else {
            // Every property is set, so deinit runs and closes it (closing here too would free twice).
            let message = Self.text(PQerrorMessage(opened))
            throw PGFailure(message: message, sqlState: nil, connectionLost: true)
        }
        // Notices (e.g. "relation already exists, skipping") are not worth a line on stderr.
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        // A node frozen (SIGSTOP) inside a transaction would keep its row locks, and a lease row
        // it locked would be skipped by every other node's claim: the server ends such a
        // transaction instead. Ours run their statements back to back; 5 s is far beyond that.
        _ = try? execute("SET idle_in_transaction_session_timeout = 5000")
    }

    deinit { PQfinish(connection) }

    var isUsable: Bool { PQstatus(connection) == CONNECTION_OK && PQtransactionStatus(connection) == PQTRANS_IDLE }

    /// Runs one statement with `$1…` parameters; results come back as text.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGValue] = []) throws(PGFailure) -> PGRows {
        var texts: [[CChar]?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for parameter in parameters {
            switch parameter {
            case .null: texts.append(nil); lengths.append(0); formats.append(0)
            case .text(let text): texts.append(Array(text.utf8CString)); lengths.append(0); formats.append(0)
            case .int(let n): texts.append(Array(String(n).utf8CString)); lengths.append(0); formats.append(0)
            case .double(let d): texts.append(Array("\(d)".utf8CString)); lengths.append(0); formats.append(0)
            case .bool(let b): texts.append(Array((b ? "t" : "f").utf8CString)); lengths.append(0); formats.append(0)
            case .bytes(let bytes):
                texts.append(bytes.map { CChar(bitPattern: $0) }); lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        let result: OpaquePointer? = withPointers(texts) { pointers in
            PQexecParams(connection, sql, Int32(parameters.count), nil, pointers, lengths, formats, 0)
        }
        guard let result else {
            throw PGFailure(message: Self.text(PQerrorMessage(connection)), sqlState: nil, connectionLost: PQstatus(connection) != CONNECTION_OK)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = Self.text(PQresultErrorMessage(result))
            PQclear(result)
            throw PGFailure(message: message, sqlState: state, connectionLost: PQstatus(connection) != CONNECTION_OK)
        }
        return PGRows(result)
    }

    /// Runs several statements without parameters (a migration).
    func executeScript(_ sql: String) throws(PGFailure) {
        guard let result = PQexec(connection, sql) else {
            throw PGFailure(message: Self.text(PQerrorMessage(connection)), sqlState: nil, connectionLost: PQstatus(connection) != CONNECTION_OK)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PGFailure(message: Self.text(PQresultErrorMessage(result)), sqlState: state,
                            connectionLost: PQstatus(connection) != CONNECTION_OK)
        }
    }

    private func withPointers<T>(_ texts: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        defer { buffers.forEach { $0?.deallocate() } }
        for text in texts {
            guard let text else { buffers.append(nil); continue }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, text.count))
            buffer.initialize(from: text, count: text.count)
            buffers.append(buffer)
        }
        return body(buffers.map { $0.map { UnsafePointer($0) } })
    }

    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The rows of one result, read as text (libpq's default); freed with the object.
final class PGRows {
    private let result: OpaquePointer
    let count: Int
    private var columns: [String: Int32] = [:]

    init(_ result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
        for index in 0..<PQnfields(result) {
            columns[String(cString: PQfname(result, index))] = index
        }
    }

    deinit { PQclear(result) }

    /// The number of rows the statement changed (UPDATE, DELETE, INSERT).
    var affected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    func string(_ row: Int, _ column: String) -> String? {
        guard let index = columns[column], PQgetisnull(result, Int32(row), index) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), index))
    }

    func int(_ row: Int, _ column: String) -> Int64? { string(row, column).flatMap { Int64($0) } }
    func double(_ row: Int, _ column: String) -> Double? { string(row, column).flatMap { Double($0) } }
    func bool(_ row: Int, _ column: String) -> Bool? { string(row, column).map { $0 == "t" } }

    /// A `bytea` column in PostgreSQL's text form (`\x` and hex digits).
    func bytes(_ row: Int, _ column: String) -> [UInt8]? {
        guard let text = string(row, column) else { return nil }
        let digits = Array(text.utf8.dropFirst(2))
        guard text.hasPrefix("\\x"), digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
