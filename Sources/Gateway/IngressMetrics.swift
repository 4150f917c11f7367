import Metrics
import Synchronization

/// Per-route metrics of the webhook ingress, under the names and dimensions Hummingbird's
/// `MetricsMiddleware` gives the router's routes (`hb.requests`, `http.server.request.duration`,
/// `hb.request.errors`; `http.route` is the receiver's path), so that one query covers both.
/// Errors here are answers of 500 and above: a refused webhook (401, 413, 422) is the sender's
/// mistake and shows in the status code dimension.
final class IngressMetrics: Sendable {
    private struct Key: Hashable {
        var path: String
        var method: String
        var status: Int
    }

    private struct Series: Sendable {
        var requests: Counter
        var duration: Timer
        var errors: Counter?
    }

    private let series = Mutex<[Key: Series]>([:])

    static let shared = IngressMetrics()

    func record(path: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = Key(path: path, method: method, status: status)
        let s = series.withLock { table -> Series in
            if let s = table[key] { return s }
            let dimensions = [("http.route", path), ("http.request.method", method), ("http.response.status_code", String(status))]
            let s = Series(requests: Counter(label: "hb.requests", dimensions: dimensions),
                           duration: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                           errors: status >= 500 ? Counter(label: "hb.request.errors", dimensions: dimensions) : nil)
            table[key] = s
            return s
        }
        s.requests.increment()
        s.duration.recordNanoseconds(Int64(clamping: nanoseconds))
        s.errors?.increment()
    }
}
