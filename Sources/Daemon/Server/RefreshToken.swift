import Foundation

/// The secret POST /refresh asks for: from the configuration, else from systemd's
/// credentials (`LoadCredential=refresh-token:…` puts it in `$CREDENTIALS_DIRECTORY`),
/// else made up at start and written, readable by the daemon's user only, into `daemon.json`.
enum RefreshToken {
    static let credentialName = "refresh-token"
    /// 32 random bytes, as 64 hex digits.
    static let generatedByteCount = 32

    static func resolve(configured: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let configured, !configured.isEmpty { return configured }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(credentialName).path
            if FileManager.default.fileExists(atPath: path) {
                do {
                    let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !text.isEmpty { return text }
                    throw DaemonError.tokenUnreadable(path: path, cause: "the file is empty")
                } catch let error as DaemonError {
                    throw error
                } catch {
                    throw DaemonError.tokenUnreadable(path: path, cause: "\(error)")
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<generatedByteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares in time independent of where the strings differ.
    static func matches(_ header: String?, token: String) -> Bool {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        let offered = Array(header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces).utf8)
        let expected = Array(token.utf8)
        var difference = UInt8(offered.count == expected.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < offered.count ? offered[index] : 0)
        }
        return difference == 0
    }
}
