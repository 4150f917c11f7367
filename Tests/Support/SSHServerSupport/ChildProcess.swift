#if canImport(Glibc)
import Glibc
#endif

/// Child processes started with `posix_spawn`, not Foundation's `Process`: sshd closes every
/// inherited descriptor at start-up, which swift-corelibs-foundation takes for the child's exit;
/// it then blocks its process-monitor thread in `waitpid` on the still-running sshd, and no
/// other `Process` ever sees its exit again.
struct ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with stdin from /dev/null and stdout and stderr to `outputPath`.
    static func start(_ executable: String, _ arguments: [String], outputPath: String) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours goes to the child. Foundation's pipes are not close-on-exec, and a
        // child that holds a copy of a pipe (ssh-keygen runs for a while; sshd until it closes
        // them) keeps that pipe's epoll registration alive after the test closes its end:
        // libdispatch then gets events for a source it has freed, and the test process crashed
        // in `_dispatch_event_loop_drain`.
        Self.closeInheritedDescriptors(&actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw SSHTestServerError.toolFailed("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return ChildProcess(pid: pid)
    }

    /// Adds "close every descriptor from 3 up" to `actions`: glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34+, which Swift's Glibc module does not
    /// declare), else one close per descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2, fd != own { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }

    /// The exit status once the child has exited, or `nil` while it runs.
    func exitStatus(wait: Bool) -> Int32? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, wait ? 0 : WNOHANG)
        guard rc == pid else { return rc < 0 ? -1 : nil }
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// SIGTERM, then reaps it.
    func terminate() {
        kill(pid, SIGTERM)
        _ = exitStatus(wait: true)
    }
}
