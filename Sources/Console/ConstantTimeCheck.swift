import Codecs

/// Token text compared with `ConstantTimeComparison` (its bytes, in constant time).
enum ConstantTimeCheck {
    static func equal(_ a: String, _ b: String) -> Bool { ConstantTimeComparison.areEqual(Array(a.utf8), Array(b.utf8)) }
}
