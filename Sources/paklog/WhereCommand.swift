import ArgumentParser
import Foundation
import JSON

/// `paklog where <key>`: "where is it?" from the command line, through the running daemon's
/// `GET /api/v1/where` (the index lives in the daemon).
struct WhereCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "The timeline of a business key (order number, webhook-id, ISA13/GS06/ST02, AS2 Message-ID, tracking number, EPC …) across the log.")

    @Argument(help: "The key's value.") var key: String
    @Option(help: "Only keys of this kind (order, shopify-order, webhook-id, isa13, gs06, st02, as2-message-id, tracking-number, epc, …).")
    var kind: String?
    @Flag(help: "Print the API's JSON answer instead of one line per event.") var json = false
    @OptionGroup var daemon: DaemonConnection

    func run() async throws {
        var query = "key=" + (key.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? key)
        if let kind { query += "&kind=" + (kind.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? kind) }
        let text = try await daemon.call(.get, "/api/v1/where?" + query, quiet: true)
        if json { print(text); return }
        let answer = try JSONValue(parsing: Array(text.utf8))
        let entries = answer["entries"]?.arrayValue ?? []
        guard !entries.isEmpty else {
            print("no event carries '\(key)' (indexed through position \(answer["indexedThrough"]?.intValue ?? 0))")
            throw ExitCode(1)
        }
        for e in entries {
            let fields = ["position", "recordedAt", "step", "stream", "type", "outcome", "summary"].map { name -> String in
                if let n = e[name]?.intValue { return String(n) }
                return e[name]?.stringValue ?? ""
            }
            print(fields.joined(separator: "  "))
        }
        if answer["truncated"]?.boolValue == true { print("(more events than shown)") }
    }
}

extension CharacterSet {
    /// Unreserved characters (RFC 3986 §2.3): everything else in a query value is escaped.
    static let urlQueryValueAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
