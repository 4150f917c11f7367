import AS2
import Codecs
import Foundation
import XCTest

/// pyas2lib, the foreign AS2 implementation of the tests (`Support/pyas2_peer.py`), in the
/// virtual environment `scripts/peers/pyas2.sh` makes, and the key pairs both sides use.
struct PyAS2Peer {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repository.appendingPathComponent("Tests/AS2Tests/Support/pyas2_peer.py").path
    static var python: String {
        if let p = ProcessInfo.processInfo.environment["PAKLOG_PYAS2_PYTHON"] { return p }
        return repository.appendingPathComponent(".build/peers/pyas2/bin/python").path
    }

    let directory: URL
    let ours: Identity
    let theirs: Identity
    /// A third party: neither ours nor the partner's.
    let stranger: Identity

    /// A certificate and its key, made with the openssl command for this test run.
    struct Identity {
        let name: String
        let keyFile: String
        let certificateFile: String
        let certificate: X509Certificate
        let key: PrivateKey

        init(name: String, in directory: URL) throws {
            self.name = name
            keyFile = directory.appendingPathComponent("\(name).key.pem").path
            certificateFile = directory.appendingPathComponent("\(name).cert.pem").path
            try PyAS2Peer.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certificateFile,
                                                   "-days", "30", "-subj", "/CN=\(name)/O=PakLog test"])
            certificate = try X509Certificate(file: certificateFile)
            key = try PrivateKey(file: keyFile)
        }

        /// Key and certificate in one PEM file, as pyas2lib's Organization loads them.
        func combinedPEM(in directory: URL) throws -> String {
            let path = directory.appendingPathComponent("\(name).combined.pem").path
            let data = try Data(contentsOf: URL(fileURLWithPath: keyFile)) + Data(contentsOf: URL(fileURLWithPath: certificateFile))
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw NSError(domain: "PyAS2Peer", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "pyas2lib is not set up at \(Self.python): run scripts/peers/pyas2.sh (scripts/bootstrap.sh test does)"])
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-as2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        ours = try Identity(name: "paklog", in: directory)
        theirs = try Identity(name: "pyas2", in: directory)
        stranger = try Identity(name: "stranger", in: directory)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// One message's settings, as the job file gives them to pyas2lib.
    struct Case {
        var name: String
        var sign = false
        var encrypt = false
        var compress = false
        var digest = "sha256"
        var cipher = "aes_256_cbc"
        /// nil: an unsigned MDN.
        var mdnDigest: String?
        var payload: String
        var filename: String? = nil
        var contentType = "application/edi-x12"
        /// Encrypt to this certificate instead of ours (a negative case).
        var encryptTo: String? = nil

        var json: [String: Any] {
            var o: [String: Any] = ["name": name, "sign": sign, "encrypt": encrypt, "compress": compress, "digest": digest, "cipher": cipher,
                                    "payload": payload, "mdnMode": "SYNC", "contentType": contentType]
            if let mdnDigest { o["mdnDigest"] = mdnDigest }
            if let filename { o["filename"] = filename }
            if let encryptTo { o["encryptTo"] = encryptTo }
            return o
        }
    }

    /// Runs one pyas2lib command over `cases`.
    func run(_ command: String, _ cases: [Case]) throws {
        let job: [String: Any] = [
            "dir": directory.path, "pyName": "pyas2 partner", "ourName": "PAKLOG", "pyKeyAndCert": try theirs.combinedPEM(in: directory),
            "ourCertificate": ours.certificateFile, "cases": cases.map(\.json),
        ]
        let jobFile = directory.appendingPathComponent("job-\(command).json")
        try JSONSerialization.data(withJSONObject: job).write(to: jobFile)
        try Self.run(Self.python, [Self.script, command, jobFile.path])
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: file(name))) }

    func json(_ name: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: file(name))) }

    /// Header fields stored as a JSON list of [name, value].
    func headers(_ name: String) throws -> [(String, String)] {
        (try json(name) as! [[String]]).map { ($0[0], $0[1]) }
    }

    func write(headers: [(String, String)], body: [UInt8], as name: String) throws {
        try JSONSerialization.data(withJSONObject: headers.map { [$0.0, $0.1] }).write(to: file(name + ".headers.json"))
        try Data(body).write(to: file(name + ".body"))
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "PyAS2Peer", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments.joined(separator: " ")) failed:\n\(text)"])
        }
        return text
    }
}

/// Lowercased names, as the AS2 request reader takes them.
func fieldMap(_ headers: [(String, String)]) -> [String: String] {
    Dictionary(headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
}

/// Public X12 files beside the repository (`../shared/interop/x12`), read in place.
func interopX12(_ name: String) -> String {
    PyAS2Peer.repository.deletingLastPathComponent().appendingPathComponent("shared/interop/x12/\(name)").path
}
