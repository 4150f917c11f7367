/// Why a webhook request failed verification.
///
/// Descriptions name the header and the position that was wrong and are safe to log and to
/// return to the sender: they never contain a secret, a computed or received MAC, or any byte of
/// the body. Text taken from the request (such as an unknown version tag) is cut short and
/// reduced to printable ASCII first.
public enum WebhookVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required header is absent.
    case missingHeader(name: String)
    /// A required header is present but empty.
    case emptyHeader(name: String)
    /// A header that must occur once occurs `count` times.
    case repeatedHeader(name: String, count: Int)
    /// `webhook-timestamp` is not a whole number of seconds since the Unix epoch.
    case malformedTimestamp(header: String, reason: String)
    /// `webhook-timestamp` is farther than the tolerance from the receiver's clock.
    /// All values are seconds since the Unix epoch, or seconds for `tolerance`.
    case timestampOutsideTolerance(timestamp: Int64, now: Int64, tolerance: Int64)
    /// The signature header cannot be read. `entry` is the 1-based position of the offending
    /// space-separated signature in a Standard Webhooks header, `nil` for single-value headers.
    case malformedSignatureHeader(header: String, entry: Int?, reason: String)
    /// Every signature in the header is of a version this verifier does not implement.
    case unsupportedSignatureVersions(header: String, versions: [String])
    /// The signature header does not start with the configured prefix (such as `sha256=`).
    case unexpectedSignaturePrefix(header: String, expected: String)
    /// The signatures are well formed but none matches any configured secret.
    case noSignatureMatched(header: String, signatures: Int, secrets: Int)

    /// The HTTP status a webhook endpoint should answer with: 400 when the request is not
    /// readable as a signed request, 401 when it is readable but not authentic or too old/new.
    public var httpStatus: Int {
        switch self {
        case .missingHeader, .emptyHeader, .repeatedHeader, .malformedTimestamp, .malformedSignatureHeader,
            .unexpectedSignaturePrefix:
            400
        case .timestampOutsideTolerance, .unsupportedSignatureVersions, .noSignatureMatched:
            401
        }
    }

    public var description: String {
        switch self {
        case .missingHeader(let name):
            return "missing header \(name)"
        case .emptyHeader(let name):
            return "header \(name) is empty"
        case .repeatedHeader(let name, let count):
            return "header \(name) occurs \(count) times; exactly one is required"
        case .malformedTimestamp(let header, let reason):
            return "malformed header \(header): \(reason)"
        case .timestampOutsideTolerance(let timestamp, let now, let tolerance):
            let distance = now - timestamp
            let direction = distance > 0 ? "\(distance) s in the past" : "\(-distance) s in the future"
            return "\(StandardWebhooksScheme.timestampHeader) \(timestamp) is \(direction) "
                + "(receiver clock \(now)); tolerance is \(tolerance) s, exceeded by \(abs(distance) - tolerance) s"
        case .malformedSignatureHeader(let header, let entry, let reason):
            if let entry {
                return "malformed header \(header), signature \(entry): \(reason)"
            }
            return "malformed header \(header): \(reason)"
        case .unsupportedSignatureVersions(let header, let versions):
            return "header \(header) holds only signatures of unsupported versions "
                + "\(versions.map { "'\($0)'" }.joined(separator: ", ")); supported: "
                + "'\(StandardWebhooksScheme.symmetricVersion)'"
        case .unexpectedSignaturePrefix(let header, let expected):
            return "header \(header) does not start with '\(expected)'"
        case .noSignatureMatched(let header, let signatures, let secrets):
            return "no signature matched: header \(header) holds \(signatures) well-formed "
                + "signature\(signatures == 1 ? "" : "s"), checked against \(secrets) configured "
                + "secret\(secrets == 1 ? "" : "s")"
        }
    }
}
