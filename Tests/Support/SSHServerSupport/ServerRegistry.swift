import Foundation
import Synchronization

/// The servers still running, stopped when the process exits: a server kept for a whole test
/// run (in a `static`) never deinitializes, and an orphaned sshd would keep its port and its
/// temporary directory after the run.
enum ServerRegistry {
    private static let running = Mutex<[pid_t: String]>([:])
    private static let exitHook: Void = { atexit { ServerRegistry.stopAll() } }()

    static func add(_ pid: pid_t, directory: String) {
        _ = exitHook
        running.withLock { $0[pid] = directory }
    }

    static func remove(_ pid: pid_t) {
        _ = running.withLock { $0.removeValue(forKey: pid) }
    }

    private static func stopAll() {
        let servers = running.withLock { running in
            defer { running.removeAll() }
            return running
        }
        for (pid, directory) in servers {
            ChildProcess(pid: pid).terminate()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
