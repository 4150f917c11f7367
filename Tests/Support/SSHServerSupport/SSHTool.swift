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

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw SSHTestServerError.toolFailed("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
        return text
    }
}
