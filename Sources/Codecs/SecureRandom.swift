import COpenSSL

/// Bytes from OpenSSL's CSPRNG (`RAND_bytes`, seeded by the kernel): for keys, secrets and
/// nonces. Never for anything a test must reproduce.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        // RAND_bytes fails only when the CSPRNG cannot be seeded; continuing would hand out a
        // predictable key.
        precondition(status == 1, "RAND_bytes failed: OpenSSL's random generator is not seeded (\(OpenSSLError.last()))")
        return bytes
    }
}
