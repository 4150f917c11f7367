import EventStore
import JSON

/// How an event reads on a timeline: its step, outcome and one-line summary, from its category,
/// type and the fields the engine writes (`OutboxEvent`, `ReplyEvent`, `DeadLetter`,
/// `AS2ReceiptLog`, the route's `route`/`mappingVersion` metadata).
enum TimelineStepDescription {
    static func describe(_ e: RecordedEvent, keys: [BusinessKey]) -> BusinessKeyTimelineEntry {
        let data = try? JSONValue(parsing: e.data)
        func text(_ name: String) -> String? {
            switch data?[name] {
            case .string(let s)?: s
            case .number(let n)?: n == n.rounded() ? String(Int(n)) : String(n)
            default: nil
            }
        }
        let category = e.stream.category
        let (step, outcome, summary): (BusinessKeyTimelineEntry.Step, String, String) = switch (category, e.type) {
        case ("inbox", "MessageReceived"):
            (.inbound, "ok", "received from source \(text("source") ?? e.stream.id)" + (text("partner").map { " (partner \($0))" } ?? "")
                + (text("idempotencyKey").map { ", key \($0)" } ?? ""))
        case ("inbox", _):
            (.inbound, "failed", "\(e.type): " + (text("reason") ?? e.metadata.extra["reason"] ?? ""))
        case ("outbox", "OutboxMessageQueued"):
            (.outbound, "pending", "queued to \(text("endpoint") ?? e.stream.id)"
                + (text("mappingName").map { " after mapping \($0)" + (text("mappingVersion").map { " v\($0)" } ?? "") } ?? "")
                + (text("replayOf").map { " (replay of \($0))" } ?? ""))
        case ("outbox", "MessageDelivered"):
            (.delivery, "ok", "delivered on attempt \(text("attempt") ?? "?")" + (text("statusCode").map { ", HTTP \($0)" } ?? "")
                + (text("latencyMs").map { " in \($0) ms" } ?? ""))
        case ("outbox", "DeliveryAttemptFailed"):
            (.delivery, "failed", "attempt \(text("attempt") ?? "?") failed"
                // The error names the status already when it came from the HTTP answer.
                + (text("statusCode").flatMap { code in text("error")?.contains("HTTP \(code)") == true ? nil : ", HTTP \(code)" } ?? "")
                + (text("error").map { ": \($0)" } ?? ""))
        case ("outbox", "MessageDeadLettered"):
            (.deadLetter, "failed", "dead-lettered after attempt \(text("attempt") ?? "?"): \(text("reason") ?? "")")
        case ("outbox", "AwaitingAcknowledgment"):
            (.acknowledgment, "pending", "awaiting acknowledgment \(text("key") ?? "") until \(text("deadline") ?? "?")")
        case ("outbox", "AcknowledgmentReceived"):
            data?["accepted"]?.boolValue == false
                ? (.acknowledgment, "failed", "negative acknowledgment \(text("key") ?? ""): \(text("reason") ?? "")")
                : (.acknowledgment, "ok", "acknowledged \(text("key") ?? "")")
        case ("reply", _):
            (.acknowledgment, "ok", "reply from \(text("endpoint") ?? "endpoint")" + (text("statusCode").map { ", HTTP \($0)" } ?? ""))
        case ("as2receipt", "MDNIssued"):
            (.acknowledgment, "ok", "MDN issued for \(text("originalMessageId") ?? "?") to partner \(text("partner") ?? "?")")
        case ("as2receipt", "MDNDelivered"):
            (.acknowledgment, "ok", "MDN delivered for \(text("originalMessageId") ?? "?")")
        case ("as2receipt", _):
            (.acknowledgment, "failed", "\(e.type) for \(text("originalMessageId") ?? "?")" + (text("detail").map { ": \($0)" } ?? ""))
        case ("dlq", "DeadLetterReplayed"):
            (.deadLetter, "ok", "replayed as message \(text("replayMessageId") ?? "?")" + (text("mappingVersion").map { " (mapping version \($0))" } ?? ""))
        case ("dlq", "DeadLetterDiscarded"):
            (.deadLetter, "info", "discarded: \(text("reason") ?? "")")
        case ("dlq", let type):
            (.deadLetter, type.contains("Discard") || type.contains("Replay") ? "info" : "failed",
             "\(type)" + ((text("reason") ?? e.metadata.extra["reason"]).map { ": \($0)" } ?? ""))
        case ("error", let type):
            (.deadLetter, "failed", "\(type)" + ((text("reason") ?? text("error")).map { ": \($0)" } ?? ""))
        case (_, let type) where e.metadata.extra["route"] != nil:
            (.mapping, "ok", "\(type) written by route \(e.metadata.extra["route"]!)"
                + (e.metadata.extra["mappingVersion"].map { " (mapping version \($0))" } ?? ""))
        case (_, let type) where e.metadata.causationId != nil && e.metadata.source != nil:
            (.command, "ok", "\(type) by command \(e.metadata.causationId!) from \(e.metadata.source!)")
        case (_, let type):
            (.other, "info", type)
        }
        return BusinessKeyTimelineEntry(position: e.position, recordedAt: e.recordedAt, stream: e.stream.rawValue, type: e.type, step: step,
                                        outcome: outcome, summary: summary, correlationId: e.metadata.correlationId, keys: keys)
    }
}
