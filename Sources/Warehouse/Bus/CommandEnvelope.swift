import Foundation
import JSON

/// One command to the warehouse core: its type (`CreateOrder`), an id that makes it idempotent
/// (a redelivered command with the same id changes nothing), its body as JSON, and who issued it
/// (`route:shopify-orders`, `api:<credential>`, `cli`), which the audit record keeps.
public struct CommandEnvelope: Sendable, Equatable {
    public var commandId: String
    public var type: String
    public var body: JSONValue
    public var issuedBy: String
    public var correlationId: String?

    public init(commandId: String, type: String, body: JSONValue, issuedBy: String, correlationId: String? = nil) {
        self.commandId = commandId
        self.type = type
        self.body = body
        self.issuedBy = issuedBy
        self.correlationId = correlationId
    }

    /// Reads `{"type": …, "commandId": …, …}` as the REST API and the CLI send it; `type` may also
    /// come from the URL (`/api/v1/commands/CreateOrder`), and a missing `commandId` is refused
    /// because without one a retried request would act twice.
    public init(json: JSONValue, type explicitType: String? = nil, issuedBy: String) throws(CommandRejection) {
        var reasons: [ValidationReason] = []
        guard case .object(let o) = json else {
            throw CommandRejection(commandId: "", type: explicitType ?? "", reasons: [ValidationReason(code: "invalid", path: "$", message: "a command is a JSON object")])
        }
        let type = explicitType ?? o["type"]?.stringValue
        if type == nil { reasons.append(ValidationReason(code: "required", path: "type", message: "names the command (CreateOrder, ReceiveStock, …)")) }
        if let named = o["type"]?.stringValue, let explicitType, named != explicitType {
            reasons.append(ValidationReason(code: "invalid", path: "type", message: "is '\(named)' but the request is for \(explicitType)"))
        }
        let id = o["commandId"]?.stringValue
        if id?.isEmpty ?? true { reasons.append(ValidationReason(code: "required", path: "commandId", message: "is required and must be unique per command: it makes a retried request change nothing")) }
        if !reasons.isEmpty { throw CommandRejection(commandId: id ?? "", type: type ?? "", reasons: reasons) }
        self.init(commandId: id!, type: type!, body: json, issuedBy: issuedBy, correlationId: o["correlationId"]?.stringValue)
    }

    /// The store's idempotency key of this command: committed with the command's events.
    public var idempotencyKey: String { "command:\(commandId)" }
}
