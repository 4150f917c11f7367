import Codecs
/// The `type/subtype` part of a media type or media range (RFC 9110 §8.3.1, §12.5.1), lower-cased;
/// parameters are dropped.
struct MediaType: Equatable, Sendable {
    let type: String
    let subtype: String

    /// Parses `type "/" subtype *( OWS ";" OWS parameter )`; `nil` when it is not of that form.
    /// With `allowWildcards`, accepts the ranges `type/*`, `type/*+suffix` and `*/*` (for configured patterns).
    init?(parsing text: String, allowWildcards: Bool = false) {
        let essence = text.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false)
            .first.map { String(decoding: $0, as: UTF8.self).trimmingOptionalWhitespace() } ?? ""
        let parts = essence.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let type = String(decoding: parts[0].map(\.asciiLowercased), as: UTF8.self)
        let subtype = String(decoding: parts[1].map(\.asciiLowercased), as: UTF8.self)
        guard HTTPToken.isValid(type), HTTPToken.isValid(subtype) else { return nil }
        let star = UInt8(ascii: "*")
        if type.utf8.contains(star) || subtype.utf8.contains(star) {
            // Ranges: "*/*", "type/*", and "type/*+suffix" for structured syntax suffixes
            // (RFC 6838 §4.2.8, such as application/*+json). "*/json" is not a range.
            guard allowWildcards else { return nil }
            let subtypeIsRange = subtype == "*" || (subtype.hasPrefix("*+") && !subtype.utf8.dropFirst().contains(star))
            guard subtypeIsRange, type == "*" ? subtype == "*" : !type.utf8.contains(star) else { return nil }
        }
        self.type = type
        self.subtype = subtype
    }

    /// Whether this media type falls within `range` (`type/subtype`, `type/*+suffix`, `type/*` or `*/*`).
    func isMatched(by range: MediaType) -> Bool {
        if range.type == "*" { return true }
        guard range.type == type else { return false }
        if range.subtype == "*" { return true }
        if range.subtype.hasPrefix("*+") { return subtype.hasSuffix(range.subtype.dropFirst()) }
        return range.subtype == subtype
    }
}
