import CCurl
import Foundation

/// The one place where libcurl's result codes become `FetchError`s.
enum CurlErrorMapping {
    /// What the transfer's own callbacks learned before curl gave up; they explain some codes better than curl can.
    struct Context {
        var url: URL
        var maxBodyBytes: Int
        /// Set by the address guard when it refused to open a socket.
        var refusedAddress: String?
        /// Set by the write callback when the decoded body passed the cap.
        var exceededCap = false
        /// Set by the header callback when the headers passed their cap.
        var oversizedHeaders = false
        /// Body bytes arrived before the failure (the header block was complete).
        var receivedBody = false
        /// curl's own detail message (CURLOPT_ERRORBUFFER), when it wrote one.
        var detail: String?
    }

    static func error(for code: CURLcode, _ context: Context) -> FetchError {
        let url = context.url
        let message = context.detail.flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: curl_easy_strerror(code))
        if let refused = context.refusedAddress { return .blockedAddress(url, refused) }
        if context.exceededCap { return .tooLarge(url, limit: context.maxBodyBytes) }
        if context.oversizedHeaders { return .invalidResponse(url, "response headers too large") }
        // curl 7.88 gives up on a single header line over 100 KiB with "Out of memory",
        // before the header callback sees it; before any body byte that is what it means.
        if code == CURLE_OUT_OF_MEMORY && !context.receivedBody {
            return .invalidResponse(url, "response header too large (a header line over curl's 100 KiB limit)")
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(url, message)
        case CURLE_COULDNT_CONNECT: return .connect(url, message)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(url)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            return .tls(url, message)
        case CURLE_FILESIZE_EXCEEDED: return .tooLarge(url, limit: context.maxBodyBytes)
        case CURLE_UNSUPPORTED_PROTOCOL:
            // A redirect to a scheme outside http/https lands here too; so does an HTTP/0.9
            // answer (a garbage status line), which curl refuses with "Received HTTP/0.9".
            if message.contains("HTTP/0.9") { return .invalidResponse(url, "no HTTP status line") }
            return .unsupportedScheme(url)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
             CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP3:
            return .invalidResponse(url, message)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            // curl 7.88 reports a header line past its own limit as a receive error.
            if message.lowercased().contains("header") { return .invalidResponse(url, message) }
            return .connect(url, message)
        case CURLE_FILE_COULDNT_READ_FILE: return .other(url, "file not found or unreadable")
        default: return .other(url, message)
        }
    }
}
