import Codecs
import X12

/// The key under which a delivery of X12 awaits the partner's 997/999, and the key the shipped
/// `Mappings/x12/997-to-acknowledgment.yaml` gives that answer: `x12:<ISA08>:<GS01>:<GS06>`
/// (the receiver of our interchange, the functional group we sent and its control number; the
/// 997's ISA06, AK101 and AK102 name the same three).
public enum X12AcknowledgmentKey {
    /// What a sent file awaits: the partner's 997 under a key, nothing (it is itself an
    /// acknowledgment: a TA1, 997 or 999, which are not acknowledged), or it is not X12.
    public enum Expectation: Sendable, Equatable {
        case acknowledgment(key: String)
        case nothing
        case notX12
    }

    /// The expectation of the interchange in `content`, keyed by its first group.
    public static func expectation(ofSent content: [UInt8]) -> Expectation {
        guard content.starts(with: Array("ISA".utf8)), let interchange = X12Document(parsing: content).interchanges.first else { return .notX12 }
        guard let group = interchange.groups.first else { return interchange.serviceSegments.isEmpty ? .notX12 : .nothing }
        if group.functionalIdentifier == "FA" { return .nothing }
        return key(of: interchange).map { .acknowledgment(key: $0) } ?? .notX12
    }

    /// The key of the first group of the interchange in `content`, or nil when it is not X12.
    public static func forSent(_ content: [UInt8]) -> String? {
        guard content.starts(with: Array("ISA".utf8)), let interchange = X12Document(parsing: content).interchanges.first else { return nil }
        return key(of: interchange)
    }

    /// One parse serves both: the document is read once per delivery.
    private static func key(of interchange: X12Interchange) -> String? {
        guard interchange.header.elements.count > 7, let group = interchange.groups.first,
              let number = Int(group.controlNumber.trimmingOptionalWhitespace()) else { return nil }
        let receiver = String(decoding: interchange.header.elements[7], as: UTF8.self).trimmingOptionalWhitespace()
        return "x12:\(receiver):\(group.functionalIdentifier):\(number)"
    }
}
