import EventStore
import Foundation
import Hummingbird
import JSON
import Mapping
import Messaging

/// The dead-letter console under `/api/v1/dlq` (bearer token required; the former `/api/dlq/…`
/// answers 308 Permanent Redirect to it for one release):
/// - `GET /api/v1/dlq`: every dead-letter stream with its owner and counts (endpoints, sources, routes);
/// - `GET /api/v1/dlq/{endpoint}`: the endpoint's dead letters; `GET …/{endpoint}/{messageId}`: one;
/// - `POST …/{messageId}/replay[?remap=true][&dryRun=true]`: queue it again, optionally through
///   the current mapping version; a dry run answers the body and its diff and writes nothing;
/// - `POST …/{messageId}/discard` with `{"reason": "…"}`: mark it handled (nothing is deleted);
/// - `GET /api/v1/dlq/source/{source}` and `GET /api/v1/dlq/route/{route}`: source rejections
///   (`dlq-source-<source>`) and route failures (`dlq-route-<route>`) with their events: evidence
///   to read, not deliveries to replay.
public struct DeadLetterRoutes: GatewayRouteProvider {
    let deadLetters: DeadLetters
    let store: any EventStore
    /// The current transform of a route, for `remap`.
    let currentTransform: @Sendable (_ route: String) -> (any MessageTransform)?

    public init(deadLetters: DeadLetters, store: any EventStore, currentTransform: @escaping @Sendable (String) -> (any MessageTransform)?) {
        self.deadLetters = deadLetters
        self.store = store
        self.currentTransform = currentTransform
    }

    public func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {
        // The former paths, kept as redirects for one release: 308 keeps the method and body.
        for path in ["dlq", "dlq/:a", "dlq/:a/:b"] { group.get(RouterPath(path)) { request, _ in Self.moved(request) } }
        for path in ["dlq/:a/:b/replay", "dlq/:a/:b/discard"] { group.post(RouterPath(path)) { request, _ in Self.moved(request) } }
        addRoutes(to: group.group("v1"))
    }

    /// 308 to the same path under `/api/v1`.
    static func moved(_ request: Request) -> Response {
        let path = request.uri.path
        let query = request.uri.query.map { "?" + $0 } ?? ""
        let location = "/api/v1" + path.dropFirst("/api".count) + query
        return Response(status: .permanentRedirect, headers: [.location: location])
    }

    private func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("dlq") { _, _ in try await summary() }
        group.get("dlq/:name") { _, context in
            let name = try context.parameters.require("name")
            let letters = try await deadLetters.list(endpoint: name)
            return jsonResponse(.ok, JSONValue.array(letters.map(\.json)).serialized(pretty: true))
        }
        for owner in [DeadLetterStream.Owner.source, .route] {
            group.get("dlq/\(owner.rawValue)/:name") { _, context in
                try await rawEvents(DeadLetterStream.stream(owner, try context.parameters.require("name")))
            }
        }
        group.get("dlq/:name/:id") { _, context in
            let (name, id) = try Self.target(context)
            guard let letter = try await deadLetters.show(endpoint: name, messageId: id) else {
                return jsonError(.notFound, "no dead letter \(id) for endpoint '\(name)'")
            }
            return jsonResponse(.ok, letter.json.serialized(pretty: true))
        }
        group.post("dlq/:name/:id/replay") { request, context in
            let (name, id) = try Self.target(context)
            let remap = request.uri.queryParameters.get("remap") == "true"
            let dryRun = request.uri.queryParameters.get("dryRun") == "true"
            do {
                switch try await replay(endpoint: name, messageId: id, remap: remap, dryRun: dryRun) {
                case .planned(let plan): return jsonResponse(.ok, plan.json.serialized(pretty: true))
                case .queued(let queued):
                    return jsonResponse(.accepted, (["replayMessageId": .string(queued.id.uuidString.lowercased()), "dryRun": false] as JSONValue).serialized())
                }
            } catch let refusal as DeadLetterRefusal {
                return jsonError(refusal.status, refusal.message)
            }
        }
        group.post("dlq/:name/:id/discard") { request, context in
            let (name, id) = try Self.target(context)
            let body = try await request.body.collect(upTo: .max)  // bounded by BodySizeLimitMiddleware (http.maxBodyBytes)
            let reason = (try? JSONValue(parsing: Array(body.readableBytesView)))?["reason"]?.stringValue ?? ""
            do {
                try await discard(endpoint: name, messageId: id, reason: reason)
                return jsonResponse(.ok, (["discarded": .string(id.uuidString.lowercased())] as JSONValue).serialized())
            } catch let refusal as DeadLetterRefusal {
                return jsonError(refusal.status, refusal.message)
            }
        }
    }

    /// What a replay did: planned only (a dry run), or queued the message.
    public enum ReplayOutcome: Sendable {
        case planned(ReplayPlan)
        case queued(OutboxMessage)
    }

    /// Replays dead letter `id` of endpoint `name` (the API's and the console's one path):
    /// optionally through the route's current mapping (`remap`), or only plans it (`dryRun`).
    /// Throws `DeadLetterRefusal` (404 unknown, 409 not replayable).
    public func replay(endpoint name: String, messageId id: UUID, remap: Bool, dryRun: Bool) async throws -> ReplayOutcome {
        do {
            var transform: (any MessageTransform)?
            if remap {
                guard let letter = try await deadLetters.show(endpoint: name, messageId: id) else {
                    throw DeadLetterError.notFound(endpoint: name, messageId: id)
                }
                guard let route = letter.message.route, let t = currentTransform(route) else {
                    throw DeadLetterRefusal(status: .conflict, message: "dead letter \(id) came from no route with a transform in the current configuration")
                }
                transform = t
            }
            let plan = try await deadLetters.replayPlan(endpoint: name, messageId: id, remap: transform)
            if dryRun { return .planned(plan) }
            return .queued(try await deadLetters.replay(plan))
        } catch let error as DeadLetterError {
            if case .notFound = error { throw DeadLetterRefusal(status: .notFound, message: error.description) }
            throw DeadLetterRefusal(status: .conflict, message: error.description)
        }
    }

    /// Marks dead letter `id` handled with `reason` (nothing is deleted). Throws
    /// `DeadLetterRefusal` (400 without a reason, 404 unknown).
    public func discard(endpoint name: String, messageId id: UUID, reason: String) async throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DeadLetterRefusal(status: .badRequest, message: "discard needs a JSON body {\"reason\": \"…\"}")
        }
        do {
            try await deadLetters.discard(endpoint: name, messageId: id, reason: reason)
        } catch let error as DeadLetterError {
            throw DeadLetterRefusal(status: .notFound, message: error.description)
        }
    }

    /// The endpoint's dead letters, newest last.
    public func list(endpoint name: String) async throws -> [DeadLetter] { try await deadLetters.list(endpoint: name) }

    /// One dead letter, or nil.
    public func show(endpoint name: String, messageId id: UUID) async throws -> DeadLetter? {
        try await deadLetters.show(endpoint: name, messageId: id)
    }

    static func target(_ context: BasicRequestContext) throws -> (String, UUID) {
        let name = try context.parameters.require("name")
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw NotAMessageId(text: text) }
        return (name, id)
    }

    /// A path whose message id is no UUID: 400 with the API's JSON error (`{"error": "…"}`).
    /// Hummingbird's own HTTPError answers `{"error": {"message": "…"}}`, a second shape
    /// schemathesis found against the OpenAPI document.
    struct NotAMessageId: HTTPResponseError {
        let text: String
        var status: HTTPResponse.Status { .badRequest }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            jsonError(.badRequest, "'\(text)' is not a message id (UUID)")
        }
    }

    /// Every `dlq-*` stream and its number of events, from the log.
    func summary() async throws -> Response {
        jsonResponse(.ok, JSONValue.array(try await streams().map(\.json)).serialized(pretty: true))
    }

    /// One dead-letter stream: whose it is and how many events it holds.
    public struct StreamSummary: Sendable {
        public var stream: String
        public var owner: DeadLetterStream.Owner?
        public var name: String?
        public var events: Int

        var json: JSONValue {
            ["stream": .string(stream), "owner": owner.map { .string($0.rawValue) } ?? .null, "name": name.map(JSONValue.string) ?? .null,
             "events": .number(Double(events))]
        }
    }

    /// Every `dlq-*` stream, by name.
    public func streams() async throws -> [StreamSummary] {
        var counts: [String: Int] = [:]
        var after: Int64 = 0
        while true {
            let page = try await store.readAll(after: after, filter: .category("dlq"), maxCount: 1000)
            for e in page.events { counts[e.stream.rawValue, default: 0] += 1 }
            after = page.scannedThrough
            if page.events.count < 1000 { break }
        }
        return counts.keys.sorted().map { stream in
            let owner = DeadLetterStream.owner(of: StreamName(stream))
            return StreamSummary(stream: stream, owner: owner?.owner, name: owner?.name, events: counts[stream]!)
        }
    }

    /// The events of a source's or a route's dead-letter stream (`dlq-source-<name>`,
    /// `dlq-route-<name>`): evidence to read, the first 1,000.
    public func evidence(_ owner: DeadLetterStream.Owner, _ name: String) async throws -> [RecordedEvent] {
        try await store.readStream(DeadLetterStream.stream(owner, name), from: 0, direction: .forward, maxCount: 1000)
    }

    func rawEvents(_ stream: StreamName) async throws -> Response {
        let events = try await store.readStream(stream, from: 0, direction: .forward, maxCount: 1000)
        let list = try events.map { e -> JSONValue in
            [
                "position": .number(Double(e.position)), "type": .string(e.type),
                "id": .string(e.id.uuidString.lowercased()),
                "reason": e.metadata.extra["reason"].map(JSONValue.string) ?? .null,
                "data": try JSONValue(parsing: e.data),
            ]
        }
        return jsonResponse(.ok, JSONValue.array(list).serialized(pretty: true))
    }
}

/// Why a dead-letter operation was refused, with the HTTP status that says so.
public struct DeadLetterRefusal: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var description: String { message }
}
