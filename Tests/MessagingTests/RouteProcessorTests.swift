import EventStore
import Foundation
import JSON
import Mapping
import Testing
@testable import Messaging

/// The pure routing step by step: one message in, the events it causes out.
@Suite("RouteProcessor")
struct RouteProcessorTests {
    let cause = DeterministicEventID.make(cause: DeterministicEventID.namespace, step: "processor-test")
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func message(_ body: JSONValue, headers: [String: String] = [:]) -> RoutedMessage {
        RoutedMessage(headers: headers, body: body, correlationId: "c-1", causationId: cause, time: t0)
    }

    func route(_ steps: [RouteStep], when: String? = nil) throws -> RouteProcessor {
        RouteProcessor(route: RouteDefinition(name: "r", from: .adapter("shop"), when: try when.map(RouteExpression.init), steps: steps))
    }

    func process(_ p: RouteProcessor, _ m: RoutedMessage) throws -> RouteEffects {
        var aggregator = AggregatorState()
        return try p.process(m, aggregator: &aggregator)
    }

    @Test("a message the route's when rejects causes nothing")
    func whenRejects() throws {
        let p = try route([.to([.endpoint("erp")])], when: "body.total > 100")
        #expect(try process(p, message(["total": 50])).isEmpty)
        #expect(try process(p, message(["total": 150])).outboxMessages.count == 1)
    }

    @Test("transform replaces the body and records mapping name, version and input")
    func transform() throws {
        let p = try route([.transform(try JSONataTransform(name: "order", version: "3", #"{"id": body_id}"#)), .to([.endpoint("erp")])])
        let out = try process(p, message(["body_id": 7])).outboxMessages
        #expect(out.first?.body == ["id": 7])
        #expect(out.first?.mappingVersion == "3" && out.first?.mappingName == "order")
        #expect(out.first?.mappingInput == ["body_id": 7])
    }

    @Test("split sends each element on with its index, size and correlation id")
    func split() throws {
        let p = try route([.split(try RouteExpression("body.lines")), .to([.endpoint("wms")])])
        let out = try process(p, message(["lines": [["sku": "A"], ["sku": "B"], ["sku": "C"]]])).outboxMessages
        #expect(out.map(\.body) == [["sku": "A"], ["sku": "B"], ["sku": "C"]])
        #expect(out.map { $0.headers["splitIndex"] } == ["0", "1", "2"])
        #expect(out.allSatisfy { $0.headers["splitSize"] == "3" && $0.headers["splitCorrelationId"] == "c-1" })
        #expect(Set(out.map(\.id)).count == 3)
    }

    @Test("choice takes the first true branch, otherwise the otherwise, then continues after the choice")
    func choice() throws {
        let p = try route([
            .choice([ChoiceBranch(when: try RouteExpression("body.country = 'US'"), steps: [.to([.endpoint("ups")])]),
                     ChoiceBranch(when: try RouteExpression("body.country = 'DE'"), steps: [.to([.endpoint("dhl")])])],
                    otherwise: [.to([.endpoint("manual")])]),
            .to([.stream("shipment-events", eventType: "ShipmentRouted")]),
        ])
        #expect(try process(p, message(["country": "DE"])).outboxMessages.map(\.endpoint) == ["dhl"])
        #expect(try process(p, message(["country": "FR"])).outboxMessages.map(\.endpoint) == ["manual"])
        #expect(try process(p, message(["country": "US"])).events.map(\.stream) == ["outbox-ups", "shipment-events"])
    }

    @Test("recipientList sends to every endpoint the expression names")
    func recipientList() throws {
        let p = try route([.recipientList(try RouteExpression("body.notify"))])
        #expect(try process(p, message(["notify": ["erp", "crm"]])).outboxMessages.map(\.endpoint) == ["erp", "crm"])
        #expect(try process(p, message(["notify": "erp"])).outboxMessages.map(\.endpoint) == ["erp"])
    }

    @Test("a recipient list naming an unknown endpoint fails the message")
    func recipientListUnknownEndpoint() throws {
        let p = RouteProcessor(route: RouteDefinition(name: "r", from: .adapter("a"), steps: [.recipientList(try RouteExpression("body.notify"))]),
                               knownEndpoints: ["erp"])
        #expect(throws: RouteError(route: "r", step: "step 0 (recipientList)", problem: "unknown endpoint 'crm'")) {
            try process(p, message(["notify": ["erp", "crm"]]))
        }
    }

    @Test("wireTap sends a copy and the message goes on unchanged")
    func wireTap() throws {
        let p = try route([.wireTap(.topic(Topic(category: "audit")!, eventType: "Tapped")), .to([.endpoint("erp")])])
        let effects = try process(p, message(["a": 1]))
        #expect(effects.events.map(\.stream) == ["audit-route.r", "outbox-erp"])
        #expect(effects.events.map { $0.event.data } == [Array(#"{"a":1}"#.utf8), effects.events[1].event.data])
    }

    @Test("processing the same message twice yields identical events with identical ids")
    func deterministic() throws {
        let p = try route([.split(try RouteExpression("body.lines")), .to([.endpoint("wms"), .topic(Topic(category: "order")!, eventType: "Line")])])
        let m = message(["lines": [1, 2]])
        let a = try process(p, m).events.map(\.event)
        let b = try process(p, m).events.map(\.event)
        #expect(a == b)
        #expect(a.count == 4)
    }

    @Test("an aggregate completes at completionSize with the collected bodies, saying what completed it")
    func aggregateBySize() throws {
        let p = try route([.aggregate(AggregationDefinition(correlation: try RouteExpression("body.order"), completionSize: 2)), .to([.endpoint("erp")])])
        var state = AggregatorState()
        var m1 = message(["order": "A", "n": 1]); m1.causationId = UUID()
        var m2 = message(["order": "A", "n": 2]); m2.causationId = UUID()
        #expect(try p.process(m1, aggregator: &state).outboxMessages.isEmpty)
        let out = try p.process(m2, aggregator: &state).outboxMessages
        #expect(out.first?.body == [["order": "A", "n": 1], ["order": "A", "n": 2]])
        #expect(out.first?.headers["completedBy"] == "size")
        #expect(state.groups.isEmpty)
    }

    @Test("an aggregate completes when its completionPredicate holds")
    func aggregateByPredicate() throws {
        let p = try route([.aggregate(AggregationDefinition(correlation: try RouteExpression("body.order"),
                                                            completionPredicate: try RouteExpression("body[-1].last = true"))), .to([.endpoint("erp")])])
        var state = AggregatorState()
        var m1 = message(["order": "A", "last": false]); m1.causationId = UUID()
        var m2 = message(["order": "A", "last": true]); m2.causationId = UUID()
        #expect(try p.process(m1, aggregator: &state).outboxMessages.isEmpty)
        #expect(try p.process(m2, aggregator: &state).outboxMessages.first?.headers["completedBy"] == "predicate")
    }

    @Test("an aggregate times out after completionTimeout without a new part")
    func aggregateByTimeout() throws {
        let p = try route([.aggregate(AggregationDefinition(correlation: try RouteExpression("body.order"), completionSize: 5, completionTimeout: .seconds(10))),
                           .to([.endpoint("erp")])])
        var state = AggregatorState()
        _ = try p.process(message(["order": "A"]), aggregator: &state)
        #expect(try p.completeTimedOut(aggregator: &state, now: t0 + 9.9).isEmpty)
        let done = try p.completeTimedOut(aggregator: &state, now: t0 + 10)
        #expect(done.count == 1)
        #expect(done.first?.outboxMessages.first?.headers["completedBy"] == "timeout")
        #expect(done.first?.outboxMessages.first?.body == [["order": "A"]])
    }

    @Test("an expression error names the route and the step")
    func errorsNameTheStep() throws {
        let p = try route([.transform(try JSONataTransform(name: "m", version: "1", "$number('x')"))])
        #expect {
            try process(p, message([:]))
        } throws: { error in
            (error as? RouteError)?.step.contains("transform m 1") == true && (error as? RouteError)?.route == "r"
        }
    }

    @Test("validation names unknown endpoints and misplaced aggregates")
    func validation() throws {
        let agg = RouteStep.aggregate(AggregationDefinition(correlation: try RouteExpression("1"), completionSize: 2))
        let r = RouteDefinition(name: "r", from: .adapter("a"), steps: [.choice([], otherwise: [agg]), .to([.endpoint("nowhere")])])
        let errors = r.validationErrors(knownEndpoints: ["erp"])
        #expect(errors.contains { $0.contains("steps[1]") && $0.contains("unknown endpoint 'nowhere'") })
        #expect(errors.contains { $0.contains("aggregate is only allowed") })
    }
}
