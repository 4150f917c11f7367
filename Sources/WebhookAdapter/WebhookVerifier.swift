import Codecs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a successful verification established.
public enum WebhookVerification: Sendable, Equatable {
    /// A Standard Webhooks request. `id` is the sender's `webhook-id` (the natural idempotency
    /// key); `secretIndex` is the position in the configured secrets of the one that matched,
    /// which tells an operator whether partners still sign with an old secret during rotation.
    case standardWebhooks(id: String, timestamp: Int64, secretIndex: Int)
    /// A single-header HMAC request; `secretIndex` as above.
    case hmac(secretIndex: Int)
    /// The source is configured with `signature: none`; nothing was checked.
    case unsigned
}

/// Verifies inbound webhook requests against one source's configured signature scheme.
///
/// Always verify the raw body bytes exactly as received: parsing and re-serializing JSON first
/// changes bytes and breaks signatures (the Standard Webhooks specification's "common failure
/// mode").
///
/// ```swift
/// let verifier = try WebhookVerifier(scheme: .standardWebhooks(.init(secrets: [secret])))
/// let verified = try verifier.verify(headers: request.headers, body: body, now: Date())
/// ```
public struct WebhookVerifier: Sendable {
    public let scheme: WebhookSignatureScheme

    /// Checks the scheme once, so that a bad configuration is refused at load time rather than on
    /// the first request.
    public init(scheme: WebhookSignatureScheme) throws(WebhookConfigurationError) {
        try scheme.validate()
        self.scheme = scheme
        // Prepared now, while the configuration is read, not by the first requests at once.
        switch scheme {
        case .none: break
        case .standardWebhooks(let s): for secret in s.secrets { _ = secret.macKey(.sha256) }
        case .hmac(let h): for secret in h.secrets { _ = secret.macKey(h.algorithm) }
        }
    }

    /// Verifies a request; throws the first reason it is not acceptable.
    ///
    /// - Parameters:
    ///   - headers: the request's header fields (names matched case-insensitively).
    ///   - body: the raw body bytes as received.
    ///   - now: the receiver's clock, for the Standard Webhooks timestamp tolerance (whole
    ///     seconds; the fraction is dropped).
    public func verify<Body: Collection>(
        headers: WebhookHeaders, body: Body, now: Date
    ) throws(WebhookVerificationError) -> WebhookVerification where Body.Element == UInt8 {
        switch scheme {
        case .none:
            return .unsigned
        case .hmac(let configuration):
            return try Self.verify(configuration, headers: headers, body: body)
        case .standardWebhooks(let configuration):
            return try Self.verify(configuration, headers: headers, body: body, now: now)
        }
    }

    /// Convenience for header fields as `(name, value)` pairs.
    public func verify<Body: Collection>(
        headers: [(String, String)], body: Body, now: Date
    ) throws(WebhookVerificationError) -> WebhookVerification where Body.Element == UInt8 {
        try verify(headers: WebhookHeaders(headers), body: body, now: now)
    }

    // MARK: Standard Webhooks

    private static func verify<Body: Collection>(
        _ configuration: StandardWebhooksScheme, headers: WebhookHeaders, body: Body, now: Date
    ) throws(WebhookVerificationError) -> WebhookVerification where Body.Element == UInt8 {
        let id = try requiredHeader(StandardWebhooksScheme.idHeader, in: headers)
        let timestampText = try requiredHeader(StandardWebhooksScheme.timestampHeader, in: headers)
        let signatureHeader = try requiredHeader(StandardWebhooksScheme.signatureHeader, in: headers)

        // The timestamp is checked before any MAC is computed, as the reference libraries do:
        // a replayed request is refused without spending HMAC work on it.
        let timestamp = try parseTimestamp(timestampText)
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let tolerance = configuration.timestampTolerance.components.seconds
        let (distance, overflow) = nowSeconds.subtractingReportingOverflow(timestamp)
        if overflow || distance > tolerance || distance < -tolerance {
            throw .timestampOutsideTolerance(timestamp: timestamp, now: nowSeconds, tolerance: tolerance)
        }

        let candidates = try parseStandardSignatures(signatureHeader)

        // The signed content is `{id}.{timestamp}.{body}` with the timestamp exactly as sent
        // (leading zeros included), fed to the MAC in pieces instead of being concatenated.
        let prefix = Array("\(id).\(timestampText).".utf8)
        var matchedSecret: Int?
        for (index, secret) in configuration.secrets.enumerated() {
            var mac = HMAC(key: secret.macKey(.sha256))
            mac.update(prefix)
            mac.update(body)
            let expected = mac.finalize()
            // No early exit: every (secret, signature) pair is compared, so the time taken does
            // not depend on which of them matched.
            for candidate in candidates where ConstantTimeComparison.areEqual(expected, candidate) {
                if matchedSecret == nil { matchedSecret = index }
            }
        }
        guard let matchedSecret else {
            throw .noSignatureMatched(
                header: StandardWebhooksScheme.signatureHeader, signatures: candidates.count,
                secrets: configuration.secrets.count)
        }
        return .standardWebhooks(id: id, timestamp: timestamp, secretIndex: matchedSecret)
    }

    /// `webhook-timestamp`: "integer unix timestamp (seconds since epoch)". Only ASCII digits are
    /// accepted (no sign, no fraction, no exponent), so the text is unambiguous inside the
    /// dot-separated signed content.
    private static func parseTimestamp(_ text: String) throws(WebhookVerificationError) -> Int64 {
        let header = StandardWebhooksScheme.timestampHeader
        var value: Int64 = 0
        for (offset, byte) in text.utf8.enumerated() {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw .malformedTimestamp(
                    header: header,
                    reason: "'\(text.sanitizedForMessage(limit: 24))' is not an integer number of seconds "
                        + "(byte offset \(offset) is not a digit)")
            }
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowMultiply, !overflowAdd else {
                throw .malformedTimestamp(header: header, reason: "value does not fit in 64 bits")
            }
            value = next
        }
        return value
    }

    /// Reads the space-separated `version,signature` entries and returns the decoded `v1` MACs.
    ///
    /// As the specification asks ("try to verify each signature until one matches"), entries of
    /// other versions are skipped and one good `v1` entry is enough; a malformed entry is reported
    /// only when no well-formed `v1` entry remains to try.
    private static func parseStandardSignatures(_ header: String) throws(WebhookVerificationError) -> [[UInt8]] {
        let name = StandardWebhooksScheme.signatureHeader
        let entries = header.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        var candidates: [[UInt8]] = []
        var firstProblem: WebhookVerificationError?
        var otherVersions: [String] = []
        let digestLength = DigestAlgorithm.sha256.digestLength

        for (position, entry) in entries.enumerated() {
            let number = position + 1
            guard let comma = entry.firstIndex(of: UInt8(ascii: ",")) else {
                firstProblem = firstProblem ?? .malformedSignatureHeader(
                    header: name, entry: number, reason: "expected '<version>,<base64 signature>', found no ','")
                continue
            }
            let version = String(decoding: entry[entry.startIndex..<comma], as: UTF8.self)
            guard version == StandardWebhooksScheme.symmetricVersion else {
                otherVersions.append(version.sanitizedForMessage())
                continue
            }
            let encoded = entry[entry.index(after: comma)...]
            let decoded: [UInt8]
            do {
                decoded = try Base64.decode(encoded)
            } catch {
                firstProblem = firstProblem ?? .malformedSignatureHeader(
                    header: name, entry: number,
                    reason: "v1 signature is not base64: \(error) (offset after 'v1,')")
                continue
            }
            guard decoded.count == digestLength else {
                firstProblem = firstProblem ?? .malformedSignatureHeader(
                    header: name, entry: number,
                    reason: "v1 signature decodes to \(decoded.count) bytes; HMAC-SHA256 has \(digestLength)")
                continue
            }
            candidates.append(decoded)
        }

        if candidates.isEmpty {
            if let firstProblem { throw firstProblem }
            if !otherVersions.isEmpty { throw .unsupportedSignatureVersions(header: name, versions: otherVersions) }
            throw .emptyHeader(name: name)
        }
        return candidates
    }

    // MARK: Single-header HMAC

    private static func verify<Body: Collection>(
        _ configuration: HMACHeaderScheme, headers: WebhookHeaders, body: Body
    ) throws(WebhookVerificationError) -> WebhookVerification where Body.Element == UInt8 {
        let name = configuration.header
        var text = Substring(try requiredHeader(name, in: headers))
        if let prefix = configuration.prefix, !prefix.isEmpty {
            guard String(text).hasPrefixIgnoringASCIICase(prefix) else {
                throw .unexpectedSignaturePrefix(header: name, expected: prefix)
            }
            text = text.dropFirst(prefix.count)
        }

        let decoded: [UInt8]
        switch configuration.encoding {
        case .hex:
            do {
                decoded = try Hex.decode(text.utf8)
            } catch {
                throw .malformedSignatureHeader(header: name, entry: nil, reason: "signature is not hex: \(error)"
                    + (configuration.prefix.map { " (offset after '\($0)')" } ?? ""))
            }
        case .base64:
            do {
                decoded = try Base64.decode(text.utf8)
            } catch {
                throw .malformedSignatureHeader(header: name, entry: nil, reason: "signature is not base64: \(error)"
                    + (configuration.prefix.map { " (offset after '\($0)')" } ?? ""))
            }
        }
        let digestLength = configuration.algorithm.digestLength
        guard decoded.count == digestLength else {
            throw .malformedSignatureHeader(
                header: name, entry: nil,
                reason: "signature decodes to \(decoded.count) bytes; \(HMAC.name(configuration.algorithm)) has \(digestLength)")
        }

        var matchedSecret: Int?
        for (index, secret) in configuration.secrets.enumerated() {
            let expected = HMAC.authenticationCode(key: secret.macKey(configuration.algorithm), message: body)
            if ConstantTimeComparison.areEqual(expected, decoded), matchedSecret == nil {
                matchedSecret = index
            }
        }
        guard let matchedSecret else {
            throw .noSignatureMatched(header: name, signatures: 1, secrets: configuration.secrets.count)
        }
        return .hmac(secretIndex: matchedSecret)
    }

    // MARK: Shared

    private static func requiredHeader(
        _ name: String, in headers: WebhookHeaders
    ) throws(WebhookVerificationError) -> String {
        guard let value = try headers.singleValue(named: name) else { throw .missingHeader(name: name) }
        guard !value.isEmpty else { throw .emptyHeader(name: name) }
        return value
    }
}
