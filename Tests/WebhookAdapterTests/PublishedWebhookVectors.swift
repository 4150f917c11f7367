import Foundation

/// One entry of `/work/shared/interop/webhooks/vectors.json`: signature examples published by
/// others (see that folder's README.md). Read in place, never copied into the repository.
struct PublishedWebhookVector: Decodable, Sendable {
    let scheme: String
    let secret: String
    let id: String?
    let timestamp: Int64?
    let body: String
    let expectedSignature: String
    let signedContent: String?
    let source: String

    enum CodingKeys: String, CodingKey {
        case scheme, secret, id, timestamp, body, source
        case expectedSignature = "expected_signature"
        case signedContent = "signed_content"
    }

    static let standardWebhooksV1 = "standard-webhooks-v1-hmac-sha256"
    static let standardWebhooksV1a = "standard-webhooks-v1a-ed25519"
    static let shopifyWebhook = "shopify-webhook-hmac-sha256-base64"
    static let shopifyOAuthQuery = "shopify-oauth-query-hmac-sha256-hex"
    static let shopifyAppProxy = "shopify-app-proxy-signature-hmac-sha256-hex"
    /// Every scheme the tests below know how to check. A new scheme in the file fails
    /// `everyPublishedSchemeIsChecked` until a test covers it.
    static let checkedSchemes: Set<String> = [
        standardWebhooksV1, standardWebhooksV1a, shopifyWebhook, shopifyOAuthQuery, shopifyAppProxy,
    ]

    /// The file lives beside the repository: `<repo>/../shared/interop/webhooks/vectors.json`.
    /// `#filePath` may name this file through the dev package's symlink, so symlinks are resolved
    /// before walking up to the directory holding `Package.swift`.
    static let fileURL: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("Sources").path)
            {
                break
            }
            directory.deleteLastPathComponent()
        }
        return directory.deletingLastPathComponent()
            .appendingPathComponent("shared/interop/webhooks/vectors.json")
    }()

    static func all() throws -> [PublishedWebhookVector] {
        let data = try Data(contentsOf: fileURL)
        return try JSONDecoder().decode([PublishedWebhookVector].self, from: data)
    }

    static func all(scheme: String) throws -> [PublishedWebhookVector] {
        try all().filter { $0.scheme == scheme }
    }
}

