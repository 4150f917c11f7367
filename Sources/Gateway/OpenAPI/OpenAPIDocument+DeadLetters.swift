import JSON

extension OpenAPIDocument {
    /// The dead-letter console (Gateway/DeadLetterRoutes.swift), and its former paths under
    /// `/api/dlq` that answer 308 for one release.
    static var deadLetterOperations: [OpenAPIOperation] {
        let endpoint = OpenAPI.path("endpoint", "The endpoint whose dead letters these are", nonEmpty)
        let messageId = OpenAPI.path("messageId", "The dead message's id", ["type": "string", "format": "uuid"])
        let badId: (String, JSONValue) = ("400", OpenAPI.error("messageId is not a UUID"))
        let events = OpenAPI.array(of: OpenAPI.objectSchema([
            ("position", OpenAPI.integer), ("type", OpenAPI.string), ("id", OpenAPI.string), ("reason", OpenAPI.nullable("string")), ("data", [:]),
        ]))
        var operations = [
            OpenAPIOperation(.get, "/api/v1/dlq", "Every dead-letter stream with its owner and number of events",
                             responses: [("200", OpenAPI.json("The streams", OpenAPI.array(of: OpenAPI.objectSchema([
                                 ("stream", OpenAPI.string), ("owner", OpenAPI.nullable("string")), ("name", OpenAPI.nullable("string")), ("events", OpenAPI.integer),
                             ]))))]),
            OpenAPIOperation(.get, "/api/v1/dlq/{endpoint}", "An endpoint's dead letters", parameters: [endpoint],
                             responses: [("200", OpenAPI.json("The dead letters", OpenAPI.array(of: OpenAPI.ref("DeadLetter"))))]),
            OpenAPIOperation(.get, "/api/v1/dlq/{endpoint}/{messageId}", "One dead letter", parameters: [endpoint, messageId],
                             responses: [("200", OpenAPI.json("The dead letter", OpenAPI.ref("DeadLetter"))), ("404", OpenAPI.error("No such dead letter")), badId]),
            OpenAPIOperation(.get, "/api/v1/dlq/source/{name}", "A source's rejections (dlq-source-<name>): evidence, not deliveries",
                             parameters: [OpenAPI.path("name", "The source", nonEmpty)], responses: [("200", OpenAPI.json("The events", events))]),
            OpenAPIOperation(.get, "/api/v1/dlq/route/{name}", "A route's failures (dlq-route-<name>): evidence, not deliveries",
                             parameters: [OpenAPI.path("name", "The route", nonEmpty)], responses: [("200", OpenAPI.json("The events", events))]),
            OpenAPIOperation(
                .post, "/api/v1/dlq/{endpoint}/{messageId}/replay", "Queue a dead letter again",
                parameters: [endpoint, messageId,
                             OpenAPI.query("remap", "true: through the current version of its route's mapping", OpenAPI.boolean),
                             OpenAPI.query("dryRun", "true: answer the body and its diff, write nothing", OpenAPI.boolean)],
                responses: [
                    ("200", OpenAPI.json("The dry run's plan", OpenAPI.ref("ReplayPlan"))),
                    ("202", OpenAPI.json("Queued", OpenAPI.objectSchema([("replayMessageId", OpenAPI.string), ("dryRun", OpenAPI.boolean)]))),
                    ("404", OpenAPI.error("No such dead letter")),
                    ("409", OpenAPI.error("It cannot be replayed (already replayed or discarded, or no route to remap it with)")),
                    badId,
                ]),
            OpenAPIOperation(
                .post, "/api/v1/dlq/{endpoint}/{messageId}/discard", "Mark a dead letter handled (nothing is deleted)",
                parameters: [endpoint, messageId],
                requestBody: ["required": true, "content": ["application/json": ["schema": OpenAPI.objectSchema([("reason", ["type": "string", "minLength": 1])])]]],
                responses: [
                    ("200", OpenAPI.json("Discarded", OpenAPI.objectSchema([("discarded", OpenAPI.string)]))),
                    ("400", OpenAPI.error("No reason given, or messageId is not a UUID")),
                    ("404", OpenAPI.error("No such dead letter, or it is no longer open")),
                ]),
        ]
        // The former paths: 308 Permanent Redirect (method and body kept) to the path under /api/v1.
        let moved: [(String, JSONValue)] = [("308", ["description": "Moved to the same path under /api/v1",
                                                     "headers": ["Location": OpenAPI.header("The new path, with the query")]])]
        let former: [(OpenAPIOperation, String)] = operations.compactMap { o in
            o.path == "/api/v1/dlq/source/{name}" || o.path == "/api/v1/dlq/route/{name}" ? nil : (o, "/api/dlq" + o.path.dropFirst("/api/v1/dlq".count))
        }
        operations += former.map { o, path in
            OpenAPIOperation(o.method, path, "Former path of \(o.method.rawValue) \(o.path)", parameters: o.parameters.filter { $0["in"] == "path" },
                             responses: moved, deprecated: true)
        }
        return operations
    }
}
