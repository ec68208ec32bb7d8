import CCurl
import Foundation
import TidingsCore

/// One blocking libcurl transfer; owned by the thread that runs it.
final class Transfer {
    let request: FetchRequest
    let configuration: FetcherConfiguration
    var body = Data()
    var headerLines: [String] = []
    var exceededCap = false

    init(request: FetchRequest, configuration: FetcherConfiguration) {
        self.request = request
        self.configuration = configuration
    }

    func run() -> Result<FetchOutcome, FetchError> {
        guard let handle = curl_easy_init() else { return .failure(.other(request.url, "libcurl could not start")) }
        defer { curl_easy_cleanup(handle) }
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        let isFile = request.url.isFileURL
        _ = tidings_easy_setopt_string(handle, CURLOPT_URL, request.url.absoluteString)
        _ = tidings_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = tidings_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        _ = tidings_easy_setopt_long(handle, CURLOPT_MAXREDIRS, configuration.maxRedirects)
        _ = tidings_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, isFile ? "file" : "http,https")
        _ = tidings_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = tidings_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        _ = tidings_easy_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
        _ = tidings_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        _ = tidings_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.totalTimeout * 1000))
        if let etag = request.etag { headers = curl_slist_append(headers, "If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { headers = curl_slist_append(headers, "If-Modified-Since: \(lastModified)") }
        for (name, value) in request.headers { headers = curl_slist_append(headers, "\(name): \(value)") }
        if headers != nil { _ = tidings_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headers) }

        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = tidings_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, transferWrite)
        _ = tidings_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = tidings_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, transferHeader)
        _ = tidings_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)

        let code = curl_easy_perform(handle)
        if exceededCap { return .failure(.tooLarge(request.url, limit: configuration.maxBodyBytes)) }
        if code != CURLE_OK { return .failure(CurlErrorMapping.error(for: code, url: request.url, maxRedirects: configuration.maxRedirects)) }

        var status = 0
        _ = tidings_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>? = nil
        _ = tidings_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.flatMap { URL(string: String(cString: $0)) } ?? request.url
        if isFile { status = 200 }
        if status == 304 { return .success(.notModified(finalURL)) }
        guard (200..<300).contains(status) else { return .failure(.httpStatus(finalURL, status)) }

        let contentType = header("content-type")
        let decoded = CharsetDecoder.decode(body, contentType: contentType)
        let page = Page(requestedURL: request.url, url: finalURL, status: status, contentType: contentType,
                        text: decoded.text, charset: decoded.charset, charsetReason: decoded.reason,
                        etag: header("etag"), lastModified: header("last-modified"), byteCount: body.count)
        return .success(.page(page))
    }

    /// The last value of a response header (of the final response after redirects).
    func header(_ name: String) -> String? {
        for line in headerLines.reversed() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return nil
    }
}

private func transferWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Debian 12's curl does not count decoded bytes against CURLOPT_MAXFILESIZE: count them here.
    if transfer.body.count + length > transfer.configuration.maxBodyBytes {
        transfer.exceededCap = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append($0, count: length) }
    return length
}

private func transferHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() }
    transfer.headerLines.append(line)
    return length
}
