import EventStore
import Foundation
import HTTPClient
import Logging
import Mapping
import StoreTestSupport
import Testing
@testable import HTTPPollAdapter

/// The poller against a real paging peer on loopback and a real store.
@Suite("HTTP poller", .serialized)
struct HTTPPollerTests {
    func poller(_ url: String, store: any EventStore, client: HTTPClient) throws -> HTTPPoller {
        HTTPPoller(source: "erp", configuration: HTTPPoller.Configuration(
            url: url, headers: [("Accept", "application/json")], items: try JSONataExpression("body.orders"),
            itemKey: try JSONataExpression("id"), nextPage: try JSONataExpression("body.next"), cursorParameter: "page_info",
            timeout: .seconds(10)), store: store, client: client, logger: Logger(label: "test.poller"))
    }

    func keys(_ store: some EventStore) async throws -> [String] {
        try await store.readStream("inbox-erp", from: 0, direction: .forward, maxCount: 1000).compactMap { $0.metadata.extra["idempotencyKey"] }
    }

    @Test("a poll reads every page from the stored cursor; the next poll re-reads only the last page, whose items are all skipped")
    func pagesThenCaughtUp() async throws {
        let peer = try await PagingPeer(items: 12, pageSize: 5, unkeyed: [6])
        defer { peer.stop() }
        let testStore = try TestStore()
        let store = try testStore.open()
        let client = HTTPClient()
        let poller = try poller(peer.url, store: store, client: client)
        #expect(try await poller.poll() == 3)
        #expect(try await keys(store) == (1...12).filter { $0 != 6 }.map { "ord-\($0)" })
        #expect(try await store.readStream("dlq-source-erp", from: 0, direction: .forward, maxCount: 10).count == 1)
        #expect(try await store.loadCursor("poll-erp")?.value == Array(#"{"next":"10"}"#.utf8))
        #expect(try await poller.poll() == 1)
        #expect(peer.requestedCursors() == [nil, "5", "10", "10"])
        #expect(try await store.readStream("dlq-source-erp", from: 0, direction: .forward, maxCount: 10).count == 1)
        #expect(try await keys(store).count == 11)
        await client.shutdown()
        await store.close()
    }

    @Test("an error status fails the poll and leaves the cursor where it was")
    func errorStatus() async throws {
        let testStore = try TestStore()
        let store = try testStore.open()
        let client = HTTPClient()
        let peer = try await PagingPeer(items: 1, pageSize: 1)
        defer { peer.stop() }
        let url = peer.url.replacingOccurrences(of: "/orders", with: "/missing")
        await #expect(throws: PollError.status(404, url: url)) { try await poller(url, store: store, client: client).poll() }
        #expect(try await store.loadCursor("poll-erp") == nil)
        await client.shutdown()
        await store.close()
    }

    @Test("the cursor goes into the query, percent-encoded")
    func cursorInQuery() throws {
        let client = HTTPClient()
        defer { Task { await client.shutdown() } }
        let testStore = try TestStore()
        let store = try testStore.open()
        defer { Task { await store.close() } }
        #expect(try poller("http://h/o", store: store, client: client).pageURL("a b&c=d/é") == "http://h/o?page_info=a%20b%26c%3Dd%2F%C3%A9")
        #expect(try poller("http://h/o?limit=5", store: store, client: client).pageURL("x") == "http://h/o?limit=5&page_info=x")
        #expect(try poller("http://h/o", store: store, client: client).pageURL(nil) == "http://h/o")
    }
}
