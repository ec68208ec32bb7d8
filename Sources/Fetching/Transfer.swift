import CCurl
import Foundation
import TidingsCore

/// One transfer's state on the engine thread: the easy handle's options, what the
/// callbacks collect, and the raw result. Never leaves the engine thread.
final class Transfer {
    /// Response headers are capped in total too: curl 7.88 limits each line, not their sum.
    static let maxHeaderBytes = 256 * 1024
    static let receiveBufferBytes = 64 * 1024

    let id: UInt64
    let host: String
    let job: TransferJob
    let continuation: CheckedContinuation<Result<RawResponse, FetchError>, Never>
    let addressGuard: AddressGuard
    let checksAddresses: Bool

    var body: [UInt8] = []
    /// The header block of the latest response (a status line starts a new one).
    var headerBytes: [UInt8] = []
    private var handle: UnsafeMutableRawPointer?
    /// Header bytes over the whole transfer, redirects included.
    var headerByteCount = 0
    var exceededCap = false
    var truncated = false
    var oversizedHeaders = false
    var refusedAddress: String?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(id: UInt64, host: String, job: TransferJob, configuration: FetcherConfiguration,
         continuation: CheckedContinuation<Result<RawResponse, FetchError>, Never>) {
        self.id = id
        self.host = host
        self.job = job
        self.continuation = continuation
        self.addressGuard = configuration.addressGuard
        // With a proxy curl connects to the proxy only; the Fetcher checks the target's
        // addresses itself before the request goes out (`ProxyTargetCheck`).
        self.checksAddresses = configuration.proxy == nil
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option on a fresh (or reset) easy handle. The handle keeps a pointer to
    /// `self`; the engine keeps `self` alive until the handle is removed.
    func configure(_ handle: UnsafeMutableRawPointer, _ configuration: FetcherConfiguration) {
        _ = tidings_easy_setopt_string(handle, CURLOPT_URL, job.urlString)
        _ = tidings_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // curl's 16 KiB default takes two reads for a typical article page; the curl tool uses 100 KiB.
        _ = tidings_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, Self.receiveBufferBytes)
        // No CURLOPT_FOLLOWLOCATION: the Fetcher follows redirects itself, one vetted hop at a time.
        _ = tidings_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, job.isFile ? "file" : "http,https")
        _ = tidings_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl has
        _ = tidings_easy_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
        _ = tidings_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        _ = tidings_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.totalTimeout * 1000))
        _ = tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
        _ = tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTime)
        _ = tidings_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        // Prefer a new stream on an HTTP/2 connection to a new connection. Only for https:
        // on plain http (HTTP/1.1 here) curl 7.88 would wait for the busy connection instead
        // of opening another, serialising every request to the host.
        if job.isHTTPS { _ = tidings_easy_setopt_long(handle, CURLOPT_PIPEWAIT, 1) }
        // An empty proxy string also stops curl from reading http_proxy & co. from the environment.
        _ = tidings_easy_setopt_string(handle, CURLOPT_PROXY, configuration.proxy ?? "")
        if let caFile = configuration.caFile { _ = tidings_easy_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let referer = job.referer { _ = tidings_easy_setopt_string(handle, CURLOPT_REFERER, referer) }
        if let form = job.formBody {
            _ = tidings_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, form.utf8.count)
            _ = tidings_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, form)
        }
        for line in job.headerLines { headerList = curl_slist_append(headerList, line) }
        _ = tidings_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = tidings_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = tidings_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, transferWrite)
        _ = tidings_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = tidings_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, transferHeader)
        _ = tidings_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        if checksAddresses {
            _ = tidings_easy_setopt_opensocket_callback(handle, transferOpenSocket)
            _ = tidings_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, me)
        }
        self.handle = handle
    }

    /// The outcome once curl reports the transfer done; moves the body out.
    func result(_ handle: UnsafeMutableRawPointer, code: CURLcode) -> Result<RawResponse, FetchError> {
        let succeeded = code == CURLE_OK || (code == CURLE_WRITE_ERROR && truncated)
        guard succeeded else {
            let context = CurlErrorMapping.Context(
                url: job.url, maxBodyBytes: job.maxBodyBytes, refusedAddress: refusedAddress,
                exceededCap: exceededCap, oversizedHeaders: oversizedHeaders, receivedBody: !body.isEmpty || exceededCap,
                detail: String(cString: errorBuffer))
            return .failure(CurlErrorMapping.error(for: code, context))
        }
        var status = 0
        _ = tidings_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if job.isFile && status == 0 { status = 200 }
        var effective: UnsafeMutablePointer<CChar>? = nil
        _ = tidings_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        var microseconds: curl_off_t = 0
        _ = tidings_easy_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &microseconds)
        var version = 0
        _ = tidings_easy_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        var connects = 0
        _ = tidings_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        let response = RawResponse(job: job, status: status, effectiveURL: effective.map { String(cString: $0) },
                                   headerBytes: headerBytes, body: body, truncated: truncated,
                                   transferTime: Double(microseconds) / 1_000_000,
                                   httpVersion: Self.versionName(version), newConnections: connects)
        body = []
        return .success(response)
    }

    /// "1.1", "2" or "3" for curl's CURL_HTTP_VERSION_* number; nil when no HTTP was spoken (file:).
    static func versionName(_ version: Int) -> String? {
        switch version {
        case Int(CURL_HTTP_VERSION_1_0): return "1.0"
        case Int(CURL_HTTP_VERSION_1_1): return "1.1"
        case Int(CURL_HTTP_VERSION_2_0): return "2"
        case Int(CURL_HTTP_VERSION_3): return "3"
        default: return nil
        }
    }

    /// The first write: room for the announced length (within the cap) saves regrowing the buffer.
    fileprivate func reserveForAnnouncedLength() {
        guard let handle else { return }
        var length: curl_off_t = -1
        _ = tidings_easy_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        if length > 0 { body.reserveCapacity(min(Int(length), job.maxBodyBytes)) }
    }
}

/// Counts decoded bytes against the cap (Debian 12's curl does not count them against
/// CURLOPT_MAXFILESIZE) and stops the transfer past it, so a gzip bomb never fills memory.
private func transferWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if transfer.body.isEmpty { transfer.reserveForAnnouncedLength() }
    let room = transfer.job.maxBodyBytes - transfer.body.count
    if length > room {
        if transfer.job.truncatesAtCap {
            data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: max(0, room))) }
            transfer.truncated = true
        } else {
            transfer.exceededCap = true
        }
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}

/// Keeps the header lines of the latest response (a status line starts a new response),
/// within `Transfer.maxHeaderBytes` over the whole transfer.
private func transferHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    transfer.headerByteCount += length
    if transfer.headerByteCount > Transfer.maxHeaderBytes {
        transfer.oversizedHeaders = true
        return 0
    }
    let line = UnsafeRawBufferPointer(start: data, count: length)
    if line.starts(with: "HTTP/".utf8) {
        transfer.headerBytes.removeAll(keepingCapacity: true)  // a new response (after a redirect or a 100)
    } else {
        transfer.headerBytes.append(contentsOf: line)
    }
    return length
}

/// The address guard: runs after DNS for every connection curl opens, redirects included.
private func transferOpenSocket(_ context: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let context, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    guard let socketAddress = tidings_sockaddr_address(address) else { return CURL_SOCKET_BAD }
    guard let (category, text) = AddressGuard.classify(socketAddress) else {
        transfer.refusedAddress = "address family \(address.pointee.family) is not IPv4 or IPv6"
        return CURL_SOCKET_BAD
    }
    if let reason = transfer.addressGuard.refusal(category, address: text) {
        transfer.refusedAddress = reason
        return CURL_SOCKET_BAD
    }
    // Close-on-exec: a process the daemon (or a test) starts must not keep our connections open.
    return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
}
