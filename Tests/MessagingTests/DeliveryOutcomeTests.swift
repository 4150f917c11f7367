import Foundation
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

    @Test("matches RFC 9562's version-5 example (DNS namespace, www.example.com)")
    func rfcVector() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(DeterministicEventID.make(namespace: dns, name: "www.example.com").uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }
}
