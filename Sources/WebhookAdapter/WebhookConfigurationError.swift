import Codecs

/// A webhook source configuration that cannot work. Descriptions never contain secret values.
public enum WebhookConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case asymmetricKeyNotSupported(prefix: String)
    case secretNotBase64(Base64DecodingError)
    case emptySecret
    case noSecrets(scheme: String)
    case invalidHeaderName(String)
    case invalidTimestampTolerance
    case invalidPath(String)
    case invalidMaxBodyBytes(Int)
    case noContentTypes
    case invalidContentType(String)
    case noMethods
    case invalidMethod(String)
    case emptyIdempotencyExpression

    public var description: String {
        switch self {
        case .asymmetricKeyNotSupported(let prefix):
            "secret starts with '\(prefix)': asymmetric (ed25519, signature version v1a) keys are not "
                + "supported; use a symmetric 'whsec_' secret"
        case .secretNotBase64(let error):
            "Standard Webhooks secret is not 'whsec_' followed by base64: \(error) (offset after the prefix)"
        case .emptySecret:
            "secret is empty"
        case .noSecrets(let scheme):
            "signature scheme \(scheme) needs at least one secret"
        case .invalidHeaderName(let name):
            "'\(name.sanitizedForMessage(limit: 64))' is not a valid HTTP header name (RFC 9110 §5.1 token)"
        case .invalidTimestampTolerance:
            "timestamp tolerance must be a positive number of seconds"
        case .invalidPath(let path):
            "webhook path '\(path.sanitizedForMessage(limit: 64))' must start with '/' and contain no '?', '#' or spaces"
        case .invalidMaxBodyBytes(let value):
            "maxBodyBytes must be positive, got \(value)"
        case .noContentTypes:
            "contentTypes must list at least one media type"
        case .invalidContentType(let value):
            "'\(value.sanitizedForMessage(limit: 64))' is not a media type of the form type/subtype"
        case .noMethods:
            "methods must list at least one HTTP method"
        case .invalidMethod(let value):
            "'\(value.sanitizedForMessage(limit: 64))' is not an HTTP method token"
        case .emptyIdempotencyExpression:
            "idempotency key expression is empty"
        }
    }
}
