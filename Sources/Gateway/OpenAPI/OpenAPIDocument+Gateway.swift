import JSON

extension OpenAPIDocument {
    /// The gateway's own routes (GatewayRouter.swift) and the live event stream
    /// (PakLog/Operations/EventStreamRoutes.swift).
    static var gatewayOperations: [OpenAPIOperation] {
        [
            OpenAPIOperation(.get, "/healthz", "Liveness: the process answers", responses: [("200", OpenAPI.text("ok"))], isPublic: true),
            OpenAPIOperation(.get, "/readyz", "Readiness: the store answers and every source and endpoint started",
                             description: "The verdict, then the scheduled jobs' and certificates' status lines.",
                             responses: [("200", OpenAPI.text("ready")), ("503", OpenAPI.text("not ready, with the reasons"))], isPublic: true),
            OpenAPIOperation(.get, "/metrics", "Prometheus metrics (text exposition format 0.0.4)",
                             responses: [("200", OpenAPI.text("The metrics"))]),
            OpenAPIOperation(.get, "/api/v1/openapi.json", "This document", responses: [("200", OpenAPI.json("The OpenAPI 3.1 document", OpenAPI.anyObject))]),
            OpenAPIOperation(
                .get, "/api/v1/events/stream", "The log as it grows, as Server-Sent Events",
                description: """
                    Each event's `id` is its global position, `event` its type, `data` one JSON line. A comment line \
                    (`: heartbeat`) every `heartbeat` seconds when nothing happens. Resume with `Last-Event-ID` (or `after`). \
                    The stream does not end by itself.
                    """,
                parameters: [
                    OpenAPI.object([("name", "category"), ("in", "query"), ("description", "Only events of these categories (repeatable)"),
                                    ("schema", OpenAPI.array(of: OpenAPI.string)), ("style", "form"), ("explode", true)]),
                    OpenAPI.query("stream", "Only the events of this stream"),
                    OpenAPI.query("after", "Resume after this global position (Last-Event-ID wins)", ["type": "integer", "minimum": 0]),
                    OpenAPI.query("heartbeat", "Seconds between heartbeats when idle (1–60, default 15)", OpenAPI.number),
                    OpenAPI.query("names", "false: no `event:` line, every event a plain message (a browser's EventSource onmessage)",
                                  ["type": "string", "enum": ["true", "false"]]),
                    OpenAPI.parameter("header", "Last-Event-ID", "Resume after this global position", ["type": "string", "pattern": "^[0-9]+$"]),
                ],
                responses: [
                    ("200", OpenAPI.text("The event stream", mediaType: "text/event-stream")),
                    ("400", OpenAPI.error("Last-Event-ID or after is not a position")),
                ]),
            OpenAPIOperation(
                .get, "/api/v1/where", "Where is it? The timeline of a business key across the log",
                description: """
                    Every event that carries the key (an order id or number, Shopify order id, webhook-id, ISA13/GS06/ST02, AS2 \
                    Message-ID, tracking number, EPC, message id) and every event of their flows, by position: the inbound envelope, \
                    the mapping, commands and domain events, deliveries and their acknowledgments. A key nothing carries answers no \
                    entries (`indexedThrough` says how far the index has read the log).
                    """,
                parameters: [
                    OpenAPI.object([("name", "key"), ("in", "query"), ("required", true), ("description", "The key's value"),
                                    ("schema", ["type": "string", "minLength": 1])]),
                    OpenAPI.query("kind", "Only keys of this kind", ["type": "string", "enum": [
                        "order", "shopify-order", "webhook-id", "idempotency-key", "isa13", "gs06", "st02", "as2-message-id",
                        "tracking-number", "epc", "carton", "message-id", "acknowledgment-key",
                    ]]),
                ],
                responses: [
                    ("200", OpenAPI.json("The timeline", OpenAPI.ref("Timeline"))),
                    ("400", OpenAPI.error("No key, or an unknown kind")),
                ]),
        ]
    }
}
