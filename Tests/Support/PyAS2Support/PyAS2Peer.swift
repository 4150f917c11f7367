import AS2
import Codecs
import Foundation

/// pyas2lib, the foreign AS2 implementation of the tests (`Tests/Support/Peers/pyas2_peer.py`), in the
/// virtual environment `scripts/peers/pyas2.sh` makes, and the key pairs both sides use.
public struct PyAS2Peer: Sendable {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let script = repository.appendingPathComponent("Tests/Support/Peers/pyas2_peer.py").path
    public static var python: String {
        if let p = ProcessInfo.processInfo.environment["PAKLOG_PYAS2_PYTHON"] { return p }
        return repository.appendingPathComponent(".build/peers/pyas2/bin/python").path
    }

    public let directory: URL
    public let ours: Identity
    public let theirs: Identity
    /// A third party: neither ours nor the partner's.
    public let stranger: Identity

    /// A certificate and its key, made with the openssl command for this test run.
    public struct Identity: Sendable {
        public let name: String
        public let keyFile: String
        public let certificateFile: String
        public let certificate: X509Certificate
        public let key: PrivateKey

        /// A new RSA 2048 key and self-signed certificate for `name` in `directory` (openssl req -x509).
        public init(name: String, in directory: URL, days: Int) throws {
            self.name = name
            keyFile = directory.appendingPathComponent("\(name).key.pem").path
            certificateFile = directory.appendingPathComponent("\(name).cert.pem").path
            try PyAS2Peer.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certificateFile,
                                                   "-days", String(days), "-subj", "/CN=\(name)/O=PakLog test"])
            certificate = try X509Certificate(file: certificateFile)
            key = try PrivateKey(file: keyFile)
        }

        /// Key and certificate in one PEM file, as pyas2lib's Organization loads them.
        public func combinedPEM(in directory: URL) throws -> String {
            let path = directory.appendingPathComponent("\(name).combined.pem").path
            let data = try Data(contentsOf: URL(fileURLWithPath: keyFile)) + Data(contentsOf: URL(fileURLWithPath: certificateFile))
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// - Parameter directory: where keys, certificates and exchanged files go (a new temporary one by default).
    /// - Parameter partnerCertificateDays: how long pyas2lib's certificate is valid (ours and the stranger's: a year).
    public init(directory: URL? = nil, partnerCertificateDays: Int = 365) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw NSError(domain: "PyAS2Peer", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "pyas2lib is not set up at \(Self.python): run scripts/peers/pyas2.sh (scripts/bootstrap.sh test does)"])
        }
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("paklog-as2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        ours = try Identity(name: "paklog", in: self.directory, days: 365)
        theirs = try Identity(name: "pyas2", in: self.directory, days: partnerCertificateDays)
        stranger = try Identity(name: "stranger", in: self.directory, days: 365)
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    /// One message's settings, as the job file gives them to pyas2lib.
    public struct Case: Sendable {
        public var name: String
        public var sign = false
        public var encrypt = false
        public var compress = false
        public var digest = "sha256"
        public var cipher = "aes_256_cbc"
        /// nil: an unsigned MDN.
        public var mdnDigest: String?
        public var payload: String
        public var filename: String? = nil
        public var contentType = "application/edi-x12"
        /// Encrypt to this certificate instead of ours (a negative case).
        public var encryptTo: String? = nil

        /// How many times `send` POSTs the same bytes.
        public var repeatCount = 1
        /// `SYNC` or `ASYNC` (`send` then needs `mdnPort` in the job, and the organization's
        /// `mdnURL` pointing at it).
        public var mdnMode = "SYNC"

        public init(name: String, sign: Bool = false, encrypt: Bool = false, compress: Bool = false, digest: String = "sha256", cipher: String = "aes_256_cbc",
                    mdnDigest: String? = nil, payload: String, filename: String? = nil, contentType: String = "application/edi-x12", encryptTo: String? = nil) {
            self.name = name
            self.sign = sign
            self.encrypt = encrypt
            self.compress = compress
            self.digest = digest
            self.cipher = cipher
            self.mdnDigest = mdnDigest
            self.payload = payload
            self.filename = filename
            self.contentType = contentType
            self.encryptTo = encryptTo
        }

        var json: [String: Any] {
            var o: [String: Any] = ["name": name, "sign": sign, "encrypt": encrypt, "compress": compress, "digest": digest, "cipher": cipher,
                                    "payload": payload, "mdnMode": mdnMode, "contentType": contentType]
            if let mdnDigest { o["mdnDigest"] = mdnDigest }
            if let filename { o["filename"] = filename }
            if let encryptTo { o["encryptTo"] = encryptTo }
            o["repeat"] = repeatCount
            return o
        }
    }

    /// Runs one pyas2lib command over `cases`.
    public func run(_ command: String, _ cases: [Case], extra: [String: Any] = [:]) throws {
        try Self.run(Self.python, [Self.script, command, try jobFile(command, cases, extra: extra)])
    }

    /// Writes the job file of one command; `extra` adds `url`, `port` …
    public func jobFile(_ command: String, _ cases: [Case], extra: [String: Any] = [:]) throws -> String {
        var job: [String: Any] = [
            "dir": directory.path, "pyName": "pyas2 partner", "ourName": "PAKLOG", "pyKeyAndCert": try theirs.combinedPEM(in: directory),
            "ourCertificate": ours.certificateFile, "cases": cases.map(\.json), "mdnURL": "http://127.0.0.1:1/unused",
        ]
        for (k, v) in extra { job[k] = v }
        let file = directory.appendingPathComponent("job-\(command).json")
        try JSONSerialization.data(withJSONObject: job).write(to: file)
        return file.path
    }

    public func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    public func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: file(name))) }

    public func json(_ name: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: file(name))) }

    /// Header fields stored as a JSON list of [name, value].
    public func headers(_ name: String) throws -> [(String, String)] {
        (try json(name) as! [[String]]).map { ($0[0], $0[1]) }
    }

    public func write(headers: [(String, String)], body: [UInt8], as name: String) throws {
        try JSONSerialization.data(withJSONObject: headers.map { [$0.0, $0.1] }).write(to: file(name + ".headers.json"))
        try Data(body).write(to: file(name + ".body"))
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
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
public func fieldMap(_ headers: [(String, String)]) -> [String: String] {
    Dictionary(headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
}

/// Public X12 files beside the repository (`../shared/interop/x12`), read in place.
public func interopX12(_ name: String) -> String {
    PyAS2Peer.repository.deletingLastPathComponent().appendingPathComponent("shared/interop/x12/\(name)").path
}
