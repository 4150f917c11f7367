import COpenSSL
import Foundation

/// An X.509 certificate (a partner's signing or encryption certificate, ours, a CA's), read from
/// PEM or DER. Immutable once read.
public final class X509Certificate: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the `X509 *` is never modified after it is read, and OpenSSL allows a
    // certificate to be used from several threads at once (its reference count and cached
    // extensions are locked internally).
    /// The OpenSSL object; valid while this certificate lives.
    public let pointer: OpaquePointer

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case noCertificate(String)

        public var description: String {
            switch self {
            case .unreadable(let detail): "cannot read the certificate: \(detail)"
            case .noCertificate(let origin): "\(origin) holds no PEM or DER certificate"
            }
        }
    }

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }

    /// Every certificate in `bytes`: PEM blocks in order, or one DER certificate.
    public static func all(in bytes: [UInt8], origin: String = "the data") throws(Failure) -> [X509Certificate] {
        var found: [X509Certificate] = []
        if bytes.starts(with: Array("-----BEGIN".utf8)) || bytes.firstRange(of: Array("-----BEGIN CERTIFICATE".utf8)) != nil {
            bytes.withUnsafeBytes { raw in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return }
                defer { BIO_free(bio) }
                while let x = PEM_read_bio_X509(bio, nil, nil, nil) { found.append(X509Certificate(taking: x)) }
            }
            ERR_clear_error()  // the end of the PEM stream is queued as an error
        } else {
            bytes.withUnsafeBytes { raw in
                var p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
                if let x = d2i_X509(nil, &p, raw.count) { found.append(X509Certificate(taking: x)) }
            }
            ERR_clear_error()
        }
        guard !found.isEmpty else { throw .noCertificate(origin) }
        return found
    }

    /// The first certificate in `bytes` (PEM or DER).
    public convenience init(bytes: [UInt8], origin: String = "the data") throws(Failure) {
        let first = try Self.all(in: bytes, origin: origin)[0]
        X509_up_ref(first.pointer)
        self.init(taking: first.pointer)
    }

    /// The certificate in the file at `path`.
    public convenience init(file path: String) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot open \(path)") }
        try self.init(bytes: [UInt8](data), origin: path)
    }

    /// The end of the validity period (`notAfter`).
    public var notAfter: Date { Self.date(X509_get0_notAfter(pointer)) ?? .distantPast }
    /// The start of the validity period (`notBefore`).
    public var notBefore: Date { Self.date(X509_get0_notBefore(pointer)) ?? .distantFuture }

    /// The subject in RFC 2253 form (`CN=acme-as2,O=Acme`).
    public var subject: String { Self.text(X509_get_subject_name(pointer)) }

    /// The DER encoding.
    public var der: [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_X509(pointer, &out)
        guard n > 0, let out else { return [] }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }

    /// SHA-256 of the DER encoding, as hex pairs joined by ':' (as `openssl x509 -fingerprint -sha256` prints).
    public var sha256Fingerprint: String { Self.sha256Fingerprint(der: der) }

    /// The same for a certificate's DER given as bytes (a TLS peer's, say).
    public static func sha256Fingerprint(der: [UInt8]) -> String {
        Digest.hash(der, .sha256).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// Whether this is the same certificate as `other` (same DER).
    public func isSame(as other: X509Certificate) -> Bool { X509_cmp(pointer, other.pointer) == 0 }

    public var description: String { "certificate \(subject) (until \(UTCTimestamp(millisecondsSince1970: Int64(notAfter.timeIntervalSince1970 * 1000)).rfc3339))" }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }

    private static func text(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        X509_NAME_print_ex(bio, name, 0, paklog_XN_FLAG_RFC2253)
        return String(decoding: MemoryBIO.contents(bio), as: UTF8.self)
    }
}

/// Reading what OpenSSL wrote into a memory BIO.
public enum MemoryBIO {
    /// The bytes written to `bio` (a `BIO_s_mem`) so far.
    public static func contents(_ bio: OpaquePointer) -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard n > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
    }

    /// Runs `body` with a read-only memory BIO over `bytes` (valid only inside `body`).
    public static func reading<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { raw in
            // BIO_new_mem_buf fails only when out of memory.
            let bio = BIO_new_mem_buf(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count))!
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// A new empty memory BIO; the caller frees it.
    public static func writable() -> OpaquePointer { BIO_new(BIO_s_mem())! }
}
