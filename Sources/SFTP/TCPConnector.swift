#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens the TCP connection libssh2 runs over, with a deadline: a blocking `connect(2)` to a
/// host that drops SYNs waits for minutes, which would hold the session's thread that long.
enum TCPConnector {
    /// A connected, blocking socket to `host:port`, trying each resolved address until the
    /// deadline. Closes what it opened on failure.
    static func connect(host: String, port: Int, timeout: Duration) throws(SFTPError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw .connectionFailed(host: host, port: port, reason: "cannot resolve: \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        let deadline = ContinuousClock.now + timeout
        var lastReason = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let address = cursor {
            cursor = address.pointee.ai_next
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { lastReason = "timed out after \(timeout)"; break }
            switch attempt(address.pointee, within: remaining) {
            case .success(let socket): return socket
            case .failure(let reason): lastReason = reason.text
            }
        }
        throw .connectionFailed(host: host, port: port, reason: lastReason)
    }

    private struct Reason: Error { let text: String }

    private static func attempt(_ address: addrinfo, within timeout: Duration) -> Result<Int32, Reason> {
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard fd >= 0 else { return .failure(Reason(text: "socket: \(errnoText())")) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let flags = fcntl(fd, F_GETFL, 0)
        // Non-blocking only for the connect, so that poll(2) can bound it.
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var failure: String?
        if systemConnect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            if errno == EINPROGRESS {
                failure = waitForConnect(fd, timeout: timeout)
            } else {
                failure = "connect: \(errnoText())"
            }
        }
        if let failure {
            close(fd)
            return .failure(Reason(text: failure))
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        // SFTP is request/response: Nagle's algorithm plus delayed ACKs would add tens of
        // milliseconds to every small request.
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .success(fd)
    }

    private static func waitForConnect(_ fd: Int32, timeout: Duration) -> String? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let parts = timeout.components
        let milliseconds = Int32(clamping: parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, max(milliseconds, 1))
        if ready == 0 { return "timed out" }
        if ready < 0 { return "poll: \(errnoText())" }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return "getsockopt: \(errnoText())" }
        return error == 0 ? nil : "connect: \(String(cString: strerror(error)))"
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// The C `connect`, which `TCPConnector.connect` shadows inside the enum.
private func systemConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
