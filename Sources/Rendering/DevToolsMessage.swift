import Foundation

/// One decoded DevTools message (an answer or an event).
struct DevToolsMessage: @unchecked Sendable {
    // @unchecked Sendable: the dictionary comes from JSONSerialization and is never mutated.
    let object: [String: Any]

    var id: Int? { object["id"] as? Int }
    var method: String? { object["method"] as? String }
    var sessionID: String? { object["sessionId"] as? String }
    var params: [String: Any] { object["params"] as? [String: Any] ?? [:] }
    var result: [String: Any] { object["result"] as? [String: Any] ?? [:] }
    /// The protocol's error text, when the command failed.
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }

    /// Reads one NUL-free JSON object; nil for anything else.
    init?(json: some Collection<UInt8>) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else { return nil }
        self.object = object
    }
}

/// A DevTools failure that is not the page's fault.
enum DevToolsFailure: Error, Sendable {
    /// The pipe closed: the browser exited or was killed.
    case closed
    /// No answer within the command timeout.
    case timedOut(String)
    /// The browser answered with an error.
    case refused(String, String)
}
