import Codecs

/// Uploads that a partner polling the directory never sees half-written.
extension SFTPConnection {
    /// Writes `bytes` to `directory/name` through a temporary name in the same directory
    /// (`.name.<random>.part`, a dot file that partners' pollers skip), then renames it: the
    /// final name appears only with the whole content. The temporary file is removed when
    /// anything fails. An existing `name` is not replaced: that throws
    /// ``SFTPError/targetExists(host:source:target:)``.
    ///
    /// - Parameter attempt: names the temporary file (`.name.<attempt>.part`, hex digits) so that a
    ///   redelivery of the same message after a crash overwrites the one the crash left, rather
    ///   than leaving it behind; nil: a random name, created exclusively.
    public func upload(_ bytes: [UInt8], directory: String, name: SFTPRemoteName, attempt: String? = nil) async throws(SFTPError) {
        let target = SFTPPath.join(directory, name)
        let temporary = SFTPPath.join(directory, Self.temporaryName(for: name, token: attempt))
        // One job on the queue: the three requests go out back to back.
        try await perform { session throws(SFTPError) in
            do throws(SFTPError) {
                try session.write(bytes, to: temporary, exclusive: attempt == nil)
                try session.rename(temporary, to: target)
            } catch {
                if session.isOpen { try? session.remove(temporary) }
                throw error
            }
        }
    }

    /// `.name.<16 hex digits>.part`, shortening `name` so that the result stays a legal name.
    static func temporaryName(for name: SFTPRemoteName, token: String? = nil) -> String {
        let hex = token.map { String($0.lowercased().filter(\.isHexDigit).prefix(32)) }.flatMap { $0.isEmpty ? nil : $0 } ?? Hex.encode(SecureRandom.bytes(8))
        let suffix = "." + hex + ".part"
        return "." + SFTPRemoteName.prefix(of: name.value, bytes: SFTPRemoteName.maximumLength - 1 - suffix.utf8.count) + suffix
    }
}

/// Remote paths are joined from a configured directory and a checked name, never from two
/// server-supplied strings.
public enum SFTPPath {
    /// `directory/name`, with one `/` between them.
    public static func join(_ directory: String, _ name: SFTPRemoteName) -> String {
        join(directory, name.value)
    }

    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
