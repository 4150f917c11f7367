import COpenSSL

/// Comparison of secret-derived bytes whose running time does not depend on where they differ.
///
/// A verifier that compares the expected MAC with `==` returns sooner the earlier the first
/// differing byte is, which lets an attacker recover a valid MAC byte by byte by timing many
/// requests (the "signing oracle" the Standard Webhooks specification warns about). We therefore
/// compare the *decoded digest bytes*, never their hex or base64 text: text comparison would add
/// encoding variants (upper/lower-case hex, padding) and, done character by character on a
/// `String`, has no timing guarantee at all.
public enum ConstantTimeComparison {
    /// `true` when `lhs` and `rhs` hold the same bytes.
    ///
    /// Lengths are not secret here (a digest's length is fixed by its algorithm), so unequal
    /// lengths return `false` at once; equal lengths are compared with OpenSSL's
    /// `CRYPTO_memcmp`, which touches every byte whatever their contents.
    public static func areEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
