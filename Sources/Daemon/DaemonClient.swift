import Foundation
import Refresh

/// Asks a running daemon to refresh sources (what `tidings refresh` does when one runs) or
/// how it is doing (`tidings status`), over TCP or its unix socket.
public struct DaemonClient: Sendable {
    public var address: DaemonAddress
    public var token: String?
    /// Set when the address is a guess (the settings' `listen`) because no daemon.json was
    /// found in this state folder.
    public var fallbackFor: URL?

    /// Refreshes of many sources take long; the daemon answers when all are done.
    public static let refreshTimeout: TimeInterval = 3600
    /// A status answer is immediate; a daemon that says nothing for this long is wedged.
    public static let statusTimeout: TimeInterval = 30

    public init(address: DaemonAddress, token: String?, fallbackFor: URL? = nil) {
        self.address = address
        self.token = token
        self.fallbackFor = fallbackFor
    }

    /// A client for the daemon described by `daemon.json` (its unix socket when it listens on
    /// one), or nil when it does not serve at all (`--no-serve`).
    public init?(endpoint: DaemonEndpoint) {
        if let path = endpoint.unixSocket {
            self.init(address: .unixSocket(path: path), token: endpoint.refreshToken)
        } else if let text = endpoint.url, let address = DaemonAddress(parsing: text) {
            self.init(address: address, token: endpoint.refreshToken)
        } else {
            return nil
        }
    }

    /// What a refresh through the daemon gave: one report per source, and where the daemon
    /// writes the feeds (its own output folder, not the caller's).
    public struct RefreshOutcome: Sendable {
        public var reports: [RefreshReport]
        public var outputDirectory: String?
    }

    /// Refreshes the named sources (every source when empty) and returns one report each.
    public func refresh(_ sourceIDs: [String]) async throws(DaemonClientError) -> RefreshOutcome {
        if sourceIDs.isEmpty { return try await post(path: "/refresh") }
        // All at once, as before: the daemon runs them side by side within its own limits.
        let results = await withTaskGroup(of: (Int, Result<RefreshOutcome, DaemonClientError>).self) { group in
            for (index, id) in sourceIDs.enumerated() {
                let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
                group.addTask {
                    do throws(DaemonClientError) {
                        return (index, .success(try await post(path: "/refresh/" + encoded)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<RefreshOutcome, DaemonClientError>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var outcomes: [RefreshOutcome] = []
        for result in results { outcomes.append(try result.get()) }
        return RefreshOutcome(reports: outcomes.flatMap(\.reports), outputDirectory: outcomes.first?.outputDirectory)
    }

    /// GET /status.json.
    public func status() async throws(DaemonClientError) -> StatusDocument {
        let response = try await DaemonConnection.send("GET", "/status.json", to: address, headers: [], timeout: Self.statusTimeout)
        guard response.status == 200 else { throw failure(response, path: "/status.json") }
        do {
            return try JSONDecoder().decode(StatusDocument.self, from: response.body)
        } catch {
            throw DaemonClientError(url: address.description + "/status.json", message: "the daemon's answer is not a status document: \(error)")
        }
    }

    private func post(path: String) async throws(DaemonClientError) -> RefreshOutcome {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response = try await DaemonConnection.send("POST", path, to: address, headers: headers, timeout: Self.refreshTimeout)
        guard response.status == 200 else { throw failure(response, path: path) }
        do {
            let decoded = try JSONDecoder().decode(RefreshResponse.self, from: response.body)
            return RefreshOutcome(reports: decoded.reports.map(\.report), outputDirectory: decoded.outputDirectory)
        } catch {
            throw DaemonClientError(url: address.description + path, message: "the daemon's answer is not a refresh report: \(error)")
        }
    }

    private func failure(_ response: DaemonConnection.Response, path: String) -> DaemonClientError {
        let detail = (try? JSONDecoder().decode([String: String].self, from: response.body))?["error"] ?? "HTTP \(response.status)"
        return DaemonClientError(url: address.description + path, message: detail, status: response.status)
    }
}

/// A daemon that could not be asked, or refused.
public struct DaemonClientError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var message: String
    /// The HTTP status, when the daemon answered (404: unknown source, 401: wrong token).
    public var status: Int?

    public init(url: String, message: String, status: Int? = nil) {
        self.url = url
        self.message = message
        self.status = status
    }

    public var description: String { "\(url): \(message)" }
}
