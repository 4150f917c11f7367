import JSON

extension OpenAPIDocument {
    /// `components/schemas`: the answers' shapes, as the code writes them (WarehouseJSON,
    /// CommandOutcome.json, DeadLetterJSON, WarehouseImportReport.json).
    static var schemas: JSONValue {
        typealias O = OpenAPI
        let reason = O.objectSchema([("code", O.string), ("path", O.string), ("message", O.string)])
        let optionalNumber = O.nullable("number")
        let optionalString = O.nullable("string")
        return O.object([
            ("Error", O.objectSchema([("error", O.string)])),
            ("Timeline", O.objectSchema([
                ("matches", O.array(of: O.objectSchema([("kind", O.string), ("value", O.string)], required: ["kind", "value"]))),
                ("entries", O.array(of: O.objectSchema([
                    ("position", O.integer), ("recordedAt", O.string), ("stream", O.string), ("type", O.string),
                    ("step", ["type": "string", "enum": ["inbound", "mapping", "command", "outbound", "delivery", "acknowledgment", "dead-letter", "other"]]),
                    ("outcome", ["type": "string", "enum": ["ok", "failed", "pending", "info"]]), ("summary", O.string),
                    ("correlationId", O.nullable("string")),
                    ("keys", O.array(of: O.objectSchema([("kind", O.string), ("value", O.string)]))),
                ], required: ["position", "recordedAt", "stream", "type", "step", "outcome", "summary"]))),
                ("truncated", O.boolean), ("indexedThrough", O.integer),
            ], required: ["matches", "entries", "truncated", "indexedThrough"])),
            ("ValidationErrors", O.objectSchema([("errors", O.array(of: reason))])),
            ("Command", O.object([
                ("type", "object"),
                ("description", "A command of the core: its fields (see the command types); commandId makes a retry safe"),
                ("properties", ["commandId": O.string]),
            ])),
            ("CommandOutcome", O.objectSchema([
                ("commandId", O.string), ("type", O.string), ("status", ["type": "string", "enum": ["accepted", "duplicate", "rejected"]]),
                ("position", O.integer), ("errors", O.array(of: reason)),
                ("events", O.array(of: O.objectSchema([("stream", O.string), ("type", O.string)]))),
            ], required: ["commandId", "type", "status", "position"])),
            ("WaveRun", O.objectSchema([("created", O.array(of: O.ref("CommandOutcome"))), ("released", O.array(of: O.ref("CommandOutcome")))])),
            ("Order", O.objectSchema([
                ("orderId", O.string), ("status", O.string), ("channel", O.string), ("externalReference", O.string), ("serviceLevel", O.string),
                ("cutoff", optionalNumber), ("priority", O.number), ("backOrderPolicy", O.string), ("shipTo", [:]), ("waveId", optionalString),
                ("tasks", O.array(of: O.string)), ("cartons", O.array(of: O.string)),
                ("lines", O.array(of: O.objectSchema([
                    ("line", O.integer), ("sku", O.string), ("quantity", O.number), ("allocated", O.number), ("picked", O.number), ("packed", O.number),
                    ("cancelled", O.number), ("backordered", O.number),
                ]))),
            ])),
            ("Inventory", O.objectSchema([
                ("sku", O.string), ("onHand", O.number), ("reserved", O.number), ("available", O.number),
                ("balances", O.array(of: O.objectSchema([
                    ("location", O.string), ("lot", optionalString), ("onHand", O.number), ("reserved", O.number), ("expiry", optionalNumber),
                ]))),
            ])),
            ("Task", O.objectSchema([
                ("taskId", O.string), ("kind", O.string), ("status", O.string), ("waveId", O.string), ("zone", O.string), ("to", optionalString),
                ("priority", O.number), ("cutoff", optionalNumber), ("claimedBy", optionalString),
                ("lines", O.array(of: O.objectSchema([
                    ("index", O.integer), ("orderId", O.string), ("line", O.integer), ("sku", O.string), ("location", O.string), ("lot", optionalString),
                    ("quantity", O.number), ("status", O.string), ("picked", O.number),
                ]))),
            ])),
            ("Wave", O.objectSchema([("waveId", O.string), ("status", O.string), ("orders", O.array(of: O.string)), ("tasks", O.array(of: O.string))])),
            ("Carton", O.objectSchema([
                ("cartonId", O.string), ("orderId", O.string), ("sscc", O.string), ("status", O.string), ("carrier", optionalString),
                ("service", optionalString), ("trackingNumber", optionalString),
                ("lines", O.array(of: O.objectSchema([("line", O.integer), ("sku", O.string), ("quantity", O.number)]))),
            ])),
            ("Location", O.objectSchema([
                ("locationId", O.string), ("zone", O.string), ("aisle", O.number), ("bay", O.number), ("level", O.number),
                ("x", optionalNumber), ("y", optionalNumber), ("kind", O.string),
            ])),
            ("Item", O.objectSchema([
                ("sku", O.string), ("gtin", optionalString), ("description", optionalString), ("unitOfMeasure", O.string),
                ("lotControlled", O.boolean), ("expiryControlled", O.boolean), ("allocation", O.string),
            ])),
            ("ImportReport", O.objectSchema([
                ("kind", O.string), ("file", optionalString), ("sha256", O.string), ("rows", O.integer), ("dropped", O.integer), ("commands", O.integer),
                ("accepted", O.integer), ("duplicates", O.integer),
                ("rejected", O.array(of: O.objectSchema([
                    ("lines", O.array(of: O.integer)), ("reference", O.string), ("commandId", O.string),
                    ("reasons", O.array(of: O.objectSchema([("code", O.string), ("path", O.string), ("line", O.integer), ("message", O.string)]))),
                ], required: ["lines", "reasons"]))),
            ])),
            ("ImportFailure", O.objectSchema([("kind", O.string), ("file", optionalString), ("sha256", O.string), ("error", O.string)],
                                             required: ["kind", "error"])),
            ("DeadLetter", O.object([
                ("type", "object"),
                ("description", "The dead message with every attempt and the reason, and what happened to it since"),
                ("properties", O.object([
                    ("position", O.integer), ("status", ["type": "string", "enum": ["open", "replayed", "discarded"]]),
                    ("replayedAs", O.string), ("replayedAt", ["type": "integer", "description": "Milliseconds since 1970"]), ("replayMappingVersion", optionalString),
                    ("discardedAt", ["type": "integer", "description": "Milliseconds since 1970"]), ("discardReason", O.string),
                ])),
                ("required", ["position", "status"]),
            ])),
            ("ReplayPlan", O.objectSchema([
                ("deadLetter", O.string), ("replayMessageId", O.string), ("mappingVersion", optionalString), ("body", [:]),
                ("differences", O.array(of: O.string)),
            ])),
        ])
    }
}
