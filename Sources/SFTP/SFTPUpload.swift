import Codecs

/// Uploads that a partner polling the directory never sees half-written.
extension SFTPConnection {
    /// Writes `bytes` to `directory/name` through a temporary name in the same directory
    /// (`.name.<random>.part`, a dot file that partners' pollers skip), then renames it: the
    /// final name appears only with the whole content. The temporary file is removed when
    /// anything fails. An existing `name` is not replaced: that throws
    /// ``SFTPError/targetExists(host:source:target:)``.
    public func upload(_ bytes: [UInt8], directory: String, name: SFTPRemoteName) async throws(SFTPError) {
        let target = SFTPPath.join(directory, name)
        let temporary = SFTPPath.join(directory, Self.temporaryName(for: name))
        // One job on the queue: the three requests go out back to back.
        try await perform { session throws(SFTPError) in
            do throws(SFTPError) {
                try session.write(bytes, to: temporary, exclusive: true)
                try session.rename(temporary, to: target)
            } catch {
                if session.isOpen { try? session.remove(temporary) }
                throw error
            }
        }
    }

    /// `.name.<16 hex digits>.part`, shortening `name` so that the result stays a legal name.
    static func temporaryName(for name: SFTPRemoteName) -> String {
        let suffix = "." + Hex.encode(SecureRandom.bytes(8)) + ".part"
        var base = Array(name.value.utf8)
        let room = SFTPRemoteName.maximumLength - 1 - suffix.utf8.count
        if base.count > room {
            base = Array(base.prefix(room))
            // Cut on a scalar boundary: drop continuation bytes left at the end.
            while let last = base.last, last & 0xC0 == 0x80 { base.removeLast() }
            if let last = base.last, last >= 0xC0 { base.removeLast() }
        }
        return "." + String(decoding: base, as: UTF8.self) + suffix
    }
}

/// Remote paths are joined from a configured directory and a checked name, never from two
/// server-supplied strings.
enum SFTPPath {
    static func join(_ directory: String, _ name: SFTPRemoteName) -> String {
        join(directory, name.value)
    }

    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
