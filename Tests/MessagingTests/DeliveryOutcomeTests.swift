import Foundation
import EventStore
import Testing
@testable import Messaging

@Suite("Delivery outcome classification")
struct DeliveryOutcomeTests {
    @Test("2xx is delivered", arguments: [200, 201, 202, 204, 299])
    func delivered(status: Int) {
        #expect(DeliveryOutcome.classify(httpStatus: status, retryAfter: nil, body: []) == .delivered(statusCode: status))
    }

    @Test("408, 429 and 5xx are retryable", arguments: [408, 429, 500, 502, 503, 504, 599])
    func retryable(status: Int) {
        guard case .retryable(_, let code, _) = DeliveryOutcome.classify(httpStatus: status, retryAfter: nil, body: []) else {
            Issue.record("\(status) should be retryable"); return
        }
        #expect(code == status)
    }

    @Test("other 4xx are permanent", arguments: [400, 401, 403, 404, 409, 410, 422])
    func permanent(status: Int) {
        guard case .permanent = DeliveryOutcome.classify(httpStatus: status, retryAfter: nil, body: []) else {
            Issue.record("\(status) should be permanent"); return
        }
    }

    @Test("the partner's explanation is kept in the error")
    func bodyExcerpt() {
        #expect(DeliveryOutcome.classify(httpStatus: 422, retryAfter: nil, body: Array("sku missing".utf8)) == .permanent(reason: "HTTP 422: sku missing", statusCode: 422))
    }
}

@Suite("Deterministic event ids")
struct DeterministicEventIDTests {
    @Test("the same cause and step always give the same version-5 UUID; another step another one")
    func stable() {
        let cause = DeterministicEventID.namespace
        let a = DeterministicEventID.make(cause: cause, step: "route:r/0/to[0]")
        #expect(a == DeterministicEventID.make(cause: cause, step: "route:r/0/to[0]"))
        #expect(a != DeterministicEventID.make(cause: cause, step: "route:r/0/to[1]"))
        #expect(a.uuidString.dropFirst(14).first == "5")
    }

    @Test("a time-ordered cause gives version-8 ids that keep its timestamp, also down a chain of causes")
    func timeOrderedCause() {
        let early = UUID.timeOrdered(unixMilliseconds: 1_795_000_000_000)
        let late = UUID.timeOrdered(unixMilliseconds: 1_795_000_000_001)
        let a = DeterministicEventID.make(cause: early, step: "route:r/0/to[0]")
        #expect(a == DeterministicEventID.make(cause: early, step: "route:r/0/to[0]"))
        #expect(a != DeterministicEventID.make(cause: early, step: "route:r/0/to[1]"))
        #expect(a.uuidString.dropFirst(14).first == "8")
        #expect("89AB".contains(a.uuidString.dropFirst(19).first!), "RFC 9562 variant")
        func timestamp(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0.prefix(6)) } }
        #expect(timestamp(a) == timestamp(early))
        let second = DeterministicEventID.make(cause: a, step: "attempt-1-failed")
        #expect(second.uuidString.dropFirst(14).first == "8")
        #expect(timestamp(second) == timestamp(early))
        // Ids derived from later causes sort after, as the store's id index stores them.
        let b = DeterministicEventID.make(cause: late, step: "route:r/0/to[0]")
        #expect(withUnsafeBytes(of: a.uuid) { Array($0) }.lexicographicallyPrecedes(withUnsafeBytes(of: b.uuid) { Array($0) }))
    }

    @Test("matches RFC 9562's version-5 example (DNS namespace, www.example.com)")
    func rfcVector() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(DeterministicEventID.make(namespace: dns, name: "www.example.com").uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }
}
