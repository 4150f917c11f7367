import CSSH2

/// The SFTP requests, blocking, on the session's queue.
extension SSHSession {
    private func channel(_ operation: SFTPOperation) throws(SFTPError) -> OpaquePointer {
        guard let sftp else { throw .closed(host: host, operation: operation) }
        return sftp
    }

    func list(_ path: String) throws(SFTPError) -> SFTPDirectoryListing {
        let sftp = try channel(.list)
        let handle = try open(sftp, path, flags: 0, mode: 0, type: LIBSSH2_SFTP_OPENDIR, operation: .list)
        defer { if isOpen { _ = libssh2_sftp_close_handle(handle) } }
        var entries: [SFTPDirectoryEntry] = []
        var rejected: [SFTPRejectedName] = []
        // Linux names are at most 255 bytes; the room beyond lets longer ones arrive whole so
        // that they are refused by name rather than failing the listing.
        var buffer = [CChar](repeating: 0, count: 4096)
        while true {
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let count = buffer.withUnsafeMutableBufferPointer { raw in
                libssh2_sftp_readdir_ex(handle, raw.baseAddress, raw.count, nil, 0, &attributes)
            }
            if count == 0 { break }
            guard count > 0 else { throw failure(.list, path: path) }
            let bytes = buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            do {
                let name = try SFTPRemoteName(bytes: bytes)
                entries.append(SFTPDirectoryEntry(name: name, attributes: Self.attributes(attributes)))
            } catch {
                rejected.append(SFTPRejectedName(bytes: bytes, problem: error))
            }
        }
        return SFTPDirectoryListing(entries: entries, rejected: rejected)
    }

    func stat(_ path: String) throws(SFTPError) -> SFTPFileAttributes {
        let sftp = try channel(.stat)
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        let rc = path.withCString { libssh2_sftp_stat_ex(sftp, $0, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes) }
        guard rc == 0 else { throw failure(.stat, path: path) }
        return Self.attributes(attributes)
    }

    func read(_ path: String, limit: Int) throws(SFTPError) -> [UInt8] {
        let sftp = try channel(.read)
        let handle = try open(sftp, path, flags: UInt(LIBSSH2_FXF_READ), mode: 0, type: LIBSSH2_SFTP_OPENFILE, operation: .read)
        defer { if isOpen { _ = libssh2_sftp_close_handle(handle) } }
        var content: [UInt8] = []
        // libssh2 asks ahead for as much as the buffer holds, in requests of up to 30,000
        // bytes: 32 KiB keeps a small file (most EDI files) to about one request, where 256 KiB
        // made the pick-up benchmark 1.7x slower with replies past the end of the file.
        var chunk = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in
                libssh2_sftp_read(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
            }
            if count == 0 { break }
            guard count > 0 else { throw failure(.read, path: path) }
            guard content.count + count <= limit else { throw .fileTooLarge(host: host, path: path, limit: limit) }
            content.append(contentsOf: chunk[0..<count])
        }
        return content
    }

    /// Writes `bytes` to `path`, creating it with mode 0644; with `exclusive`, fails when it
    /// exists instead of truncating it.
    func write(_ bytes: [UInt8], to path: String, exclusive: Bool) throws(SFTPError) {
        let sftp = try channel(.write)
        var flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT)
        flags |= exclusive ? UInt(LIBSSH2_FXF_EXCL) : UInt(LIBSSH2_FXF_TRUNC)
        let handle = try open(sftp, path, flags: flags, mode: 0o644, type: LIBSSH2_SFTP_OPENFILE, operation: .write)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                libssh2_sftp_write(handle, raw.baseAddress!.advanced(by: written).assumingMemoryBound(to: CChar.self), raw.count - written)
            }
            guard count > 0 else {
                let error = failure(.write, path: path)
                if isOpen { _ = libssh2_sftp_close_handle(handle) }
                throw error
            }
            written += count
        }
        // The server reports a failed flush (a full disk) only in the close's status.
        guard libssh2_sftp_close_handle(handle) == 0 else { throw failure(.write, path: path) }
    }

    /// Renames without overwriting. OpenSSH's server (protocol version 3, where libssh2 sends
    /// no flags) links the new name and fails with SSH_FX_FAILURE when it exists; later
    /// servers may say SSH_FX_FILE_ALREADY_EXISTS. A bare FAILURE can have other causes, so it
    /// counts as "target exists" only when the target is there.
    func rename(_ source: String, to target: String) throws(SFTPError) {
        let sftp = try channel(.rename)
        let rc = source.withCString { src in
            target.withCString { dst in
                libssh2_sftp_rename_ex(sftp, src, UInt32(source.utf8.count), dst, UInt32(target.utf8.count), 0)
            }
        }
        guard rc != 0 else { return }
        let error = failure(.rename, path: source)
        guard case .operationFailed(_, _, _, _, let status?, _) = error else { throw error }
        if status == UInt(LIBSSH2_FX_FILE_ALREADY_EXISTS) { throw .targetExists(host: host, source: source, target: target) }
        if status == UInt(LIBSSH2_FX_FAILURE), (try? lstatExists(target)) == true {
            throw .targetExists(host: host, source: source, target: target)
        }
        throw error
    }

    func remove(_ path: String) throws(SFTPError) {
        let sftp = try channel(.remove)
        let rc = path.withCString { libssh2_sftp_unlink_ex(sftp, $0, UInt32(path.utf8.count)) }
        guard rc == 0 else { throw failure(.remove, path: path) }
    }

    func makeDirectory(_ path: String) throws(SFTPError) {
        let sftp = try channel(.makeDirectory)
        let rc = path.withCString { libssh2_sftp_mkdir_ex(sftp, $0, UInt32(path.utf8.count), 0o755) }
        guard rc == 0 else { throw failure(.makeDirectory, path: path) }
    }

    private func lstatExists(_ path: String) throws(SFTPError) -> Bool {
        let sftp = try channel(.stat)
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        return path.withCString { libssh2_sftp_stat_ex(sftp, $0, UInt32(path.utf8.count), LIBSSH2_SFTP_LSTAT, &attributes) } == 0
    }

    private func open(
        _ sftp: OpaquePointer, _ path: String, flags: UInt, mode: Int, type: Int32, operation: SFTPOperation
    ) throws(SFTPError) -> OpaquePointer {
        let handle = path.withCString { libssh2_sftp_open_ex(sftp, $0, UInt32(path.utf8.count), flags, mode, type) }
        guard let handle else { throw failure(operation, path: path) }
        return handle
    }

    private static func attributes(_ raw: LIBSSH2_SFTP_ATTRIBUTES) -> SFTPFileAttributes {
        let hasMode = raw.flags & UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS) != 0
        let type = raw.permissions & UInt(LIBSSH2_SFTP_S_IFMT)
        return SFTPFileAttributes(
            size: raw.flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? raw.filesize : 0,
            modified: raw.flags & UInt(LIBSSH2_SFTP_ATTR_ACMODTIME) != 0 ? Int64(raw.mtime) : 0,
            isRegularFile: hasMode && type == UInt(LIBSSH2_SFTP_S_IFREG),
            isDirectory: hasMode && type == UInt(LIBSSH2_SFTP_S_IFDIR))
    }
}
