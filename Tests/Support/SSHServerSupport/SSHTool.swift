import Foundation

/// OpenSSH's command-line tools, run to completion.
enum SSHTool {
    static func generateKey(at path: String, type: String, format: String? = nil, passphrase: String = "") throws {
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "paklog-test", "-f", path]
        if type == "rsa" { arguments += ["-b", "2048"] }
        if let format { arguments += ["-m", format] }
        _ = try run("/usr/bin/ssh-keygen", arguments)
    }

    /// `SHA256:…` from `ssh-keygen -lf` (its output is `256 SHA256:… comment (ED25519)`).
    static func fingerprint(ofPublicKey path: String) throws -> String {
        let output = try run("/usr/bin/ssh-keygen", ["-lf", path])
        let fields = output.split(separator: " ")
        guard fields.count >= 2, fields[1].hasPrefix("SHA256:") else {
            throw SSHTestServerError.toolFailed("unexpected ssh-keygen -lf output: \(output)")
        }
        return String(fields[1])
    }

    /// Runs a tool to completion and returns what it printed (stdout and stderr).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-tool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess.start(executable, arguments, outputPath: output)
        let status = child.exitStatus(wait: true)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw SSHTestServerError.toolFailed("\(executable) \(arguments.joined(separator: " ")) failed (\(status ?? -1)): \(text)")
        }
        return text
    }
}
