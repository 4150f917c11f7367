import EventStore
import Foundation
import HTTPClient
import JSON
import Logging
import Mapping
import Messaging
import Metrics

/// Reads a paging HTTP API from its stored cursor until caught up, one transaction per page: the
/// page's items (each with its own idempotency key, so items seen before are skipped) and the
/// cursor `poll-<source>` moved to the next page, compare-and-set. The cursor therefore never
/// passes an item that is not stored, and a crash between two pages loses nothing and repeats
/// nothing: the next firing goes on from the last stored page.
///
/// Caught up (no next cursor, or an empty page), the cursor stays on the last page read, so the
/// next firing reads that page again and stores only what was added to it since.
struct HTTPPoller: Sendable {
    struct Configuration: Sendable {
        var url: String
        var headers: [(String, String)]
        var items: JSONataExpression
        var itemKey: JSONataExpression
        var nextPage: JSONataExpression?
        var cursorParameter: String?
        var timeout: Duration
    }

    let source: String
    let configuration: Configuration
    let store: any EventStore
    let client: HTTPClient
    let logger: Logger
    /// Pages one firing reads at most; the rest waits for the next firing, so one firing cannot
    /// run unbounded behind a partner that keeps adding pages.
    var maximumPagesPerFiring = 1000

    var cursorName: String { "poll-\(source)" }

    /// The job that polls every `every`.
    func job(every: Duration, jitter: Double) -> ScheduledJob {
        // `retryDelay` at the period: a failing partner is asked again on the next firing.
        ScheduledJob(name: "poll-\(source)", schedule: .every(every, jitter: jitter), retryDelay: every) { firing in
            try await poll()
            return nil
        }
    }

    /// Reads pages until caught up; returns how many pages were stored.
    @discardableResult
    func poll() async throws -> Int {
        var pages = 0
        do {
            while pages < maximumPagesPerFiring {
                try Task.checkCancellation()
                let stored = try await store.loadCursor(cursorName)
                let cursor = stored.flatMap { PollCursor(decoding: $0.value) } ?? PollCursor(next: nil)
                let url = pageURL(cursor.next)
                var request = HTTPRequest(method: .get, url: url, timeout: configuration.timeout)
                for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
                let response = try await client.execute(request)
                guard (200..<300).contains(response.status) else { throw PollError.status(response.status, url: url) }
                let page = try PollPage(source: source, items: configuration.items, itemKey: configuration.itemKey, nextPage: configuration.nextPage,
                                        headers: response.headers.combinedByLowercasedName, body: response.body, receivedAt: Date())
                let next = PollCursor(next: page.next ?? cursor.next)
                if page.appends.isEmpty, next == cursor { return pages }
                let update = CursorUpdate(name: cursorName, value: next.encoded(), expected: stored.map { .value($0.value) } ?? .absent)
                let result = try await store.append(AppendTransaction(appends: page.appends, cursors: [update]))
                pages += 1
                count(page, result)
                logger.debug("page stored", metadata: [
                    "items": "\(page.itemCount)", "skipped": "\(result.skippedAppends.count)", "caughtUp": "\(page.next == nil)"])
                if page.next == nil { return pages }
            }
            return pages
        } catch {
            if !(error is CancellationError) {
                Counter(label: "paklog_poll_failures_total", dimensions: [("source", source)]).increment()
            }
            throw error
        }
    }

    /// The URL of the page `cursor` names (the first page without one).
    func pageURL(_ cursor: String?) -> String {
        guard let cursor, let parameter = configuration.cursorParameter else { return configuration.url }
        let separator = configuration.url.contains("?") ? "&" : "?"
        return configuration.url + separator + PercentEncoding.encodingAllButUnreserved(parameter) + "=" + PercentEncoding.encodingAllButUnreserved(cursor)
    }

    private func count(_ page: PollPage, _ result: AppendResult) {
        let dimensions = [("source", source)]
        Counter(label: "paklog_poll_pages_total", dimensions: dimensions).increment()
        let skipped = result.skippedAppends.count
        let received = page.appends.count - skipped - page.rejectedCount
        if received > 0 { Counter(label: "paklog_messages_received_total", dimensions: dimensions).increment(by: received) }
        if skipped > 0 { Counter(label: "paklog_messages_duplicate_total", dimensions: dimensions).increment(by: skipped) }
        if page.rejectedCount > 0 {
            Counter(label: "paklog_messages_rejected_total", dimensions: dimensions).increment(by: page.rejectedCount)
            logger.warning("items without a key kept as dead letters", metadata: ["items": "\(page.rejectedCount)"])
        }
    }
}

/// What `poll-<source>` holds: `{"next":"<cursor>"}`, or `{"next":null}` for the first page.
struct PollCursor: Equatable {
    var next: String?

    func encoded() -> [UInt8] {
        let value: JSONValue = ["next": next.map { .string($0) } ?? .null]
        return value.serialized()
    }

    init(next: String?) { self.next = next }

    init?(decoding bytes: [UInt8]) {
        guard let value = try? JSONValue(parsing: bytes), case .object = value else { return nil }
        next = value["next"]?.stringValue
    }
}
