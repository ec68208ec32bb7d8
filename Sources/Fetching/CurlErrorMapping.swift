import CCurl
import Foundation

/// The one place where libcurl's result codes become `FetchError`s.
enum CurlErrorMapping {
    static func error(for code: CURLcode, url: URL, maxRedirects: Int) -> FetchError {
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(url, message)
        case CURLE_COULDNT_CONNECT: return .connect(url, message)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(url)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(url, limit: maxRedirects)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
            return .tls(url, message)
        case CURLE_FILESIZE_EXCEEDED: return .tooLarge(url, limit: 0)
        case CURLE_UNSUPPORTED_PROTOCOL: return .unsupportedScheme(url)
        case CURLE_FILE_COULDNT_READ_FILE: return .other(url, "file not found or unreadable")
        default: return .other(url, message)
        }
    }
}
