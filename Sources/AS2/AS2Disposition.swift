import Codecs
import Foundation
/// The disposition an MDN reports (RFC 3798 §3.2.6, RFC 4130 §7.4.3):
/// `automatic-action/MDN-sent-automatically; processed` or `…; processed/error: <modifier>`.
public enum AS2Disposition: Sendable, Equatable, CustomStringConvertible {
    case processed
    /// `processed/warning: <modifier>`: processed, with something to report.
    case warning(String)
    /// `processed/error: <modifier>`.
    case error(AS2ErrorModifier)
    /// `failed/failure: <text>` (a requested MDN feature we cannot honour).
    case failed(String)

    public var isPositive: Bool {
        switch self {
        case .processed, .warning: true
        case .error, .failed: false
        }
    }

    /// The text after `automatic-action/MDN-sent-automatically; `.
    public var field: String {
        switch self {
        case .processed: "processed"
        case .warning(let m): "processed/warning: \(m)"
        case .error(let m): "processed/error: \(m.text)"
        case .failed(let m): "failed/failure: \(m)"
        }
    }

    public var description: String { field }

    /// Parses the `Disposition` field value (action mode and sending mode, then the type).
    public init(field: String) {
        let type = (field.split(separator: ";", maxSplits: 1).last.map(String.init) ?? field).trimmingOptionalWhitespace()
        let lower = type.lowercased()
        let modifier = type.firstIndex(of: ":").map { type[type.index(after: $0)...].trimmingOptionalWhitespace() } ?? ""
        if lower.hasPrefix("processed/error") {
            self = .error(AS2ErrorModifier(text: modifier))
        } else if lower.hasPrefix("processed/warning") {
            self = .warning(modifier)
        } else if lower.hasPrefix("processed") {
            self = .processed
        } else {
            self = .failed(modifier.isEmpty ? type : modifier)
        }
    }
}

/// The `processed/error` modifiers of RFC 4130 §7.4.3.
public enum AS2ErrorModifier: Sendable, Equatable, CustomStringConvertible {
    case authenticationFailed
    case decompressionFailed
    case decryptionFailed
    case insufficientMessageSecurity
    case integrityCheckFailed
    case unexpectedProcessingError
    case other(String)

    public init(text: String) {
        switch text.lowercased() {
        case "authentication-failed": self = .authenticationFailed
        case "decompression-failed": self = .decompressionFailed
        case "decryption-failed": self = .decryptionFailed
        case "insufficient-message-security": self = .insufficientMessageSecurity
        case "integrity-check-failed": self = .integrityCheckFailed
        case "unexpected-processing-error": self = .unexpectedProcessingError
        default: self = .other(text)
        }
    }

    public var text: String {
        switch self {
        case .authenticationFailed: "authentication-failed"
        case .decompressionFailed: "decompression-failed"
        case .decryptionFailed: "decryption-failed"
        case .insufficientMessageSecurity: "insufficient-message-security"
        case .integrityCheckFailed: "integrity-check-failed"
        case .unexpectedProcessingError: "unexpected-processing-error"
        case .other(let s): s
        }
    }

    public var description: String { text }
}
