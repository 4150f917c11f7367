import AdapterKit
import WebhookAdapter
import ArgumentParser
import Foundation
import PakLog

struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Helpers for webhook senders.",
        subcommands: [Sign.self, Secret.self])

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) for a body.",
            discussion: """
                The output is a header file for curl: \
                `curl -H @headers -H 'Content-Type: application/json' --data-binary @order.json URL`.
                """)

        @Argument(help: "The body file, exactly as it will be sent; - reads standard input.")
        var body: String

        @Option(help: "The whsec_ secret (default: $PAKLOG_WEBHOOK_SECRET, else the quickstart's documented test secret).")
        var secret: String?

        @Option(help: "The webhook-id (default: a new msg_… id).")
        var id: String?

        @Option(help: "Unix seconds (default: now).")
        var timestamp: Int64?

        func run() throws {
            let secretText = secret ?? ProcessInfo.processInfo.environment["PAKLOG_WEBHOOK_SECRET"] ?? DefaultConfiguration.quickstartSecret
            guard let bytes = contents(of: body) else { throw ValidationError("cannot read \(body)") }
            let signer = try WebhookSigner(secret: WebhookSecret(standardWebhooks: secretText))
            let headers = try signer.sign(
                id: id ?? "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                timestamp: timestamp ?? Int64(Date().timeIntervalSince1970),
                body: Array(bytes))
            for (name, value) in headers.fields { print("\(name): \(value)") }
        }
    }

    struct Secret: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random Standard Webhooks secret (whsec_ + base64 of 32 random bytes), for a source or a signing endpoint.")

        @Option(help: "Key length in bytes (the specification asks for 24 to 64).")
        var bytes = 32

        func validate() throws {
            if !(24...64).contains(bytes) { throw ValidationError("--bytes must be between 24 and 64") }
        }

        func run() {
            print(WebhookSecret.random(byteCount: bytes).standardWebhooksSerialization)
        }
    }
}
