import Codecs
import Foundation
import JSON

/// The verification keys of a JSON Web Key Set file (RFC 7517 §5), as `http.jwt.jwks` names it:
/// RSA keys (`n`, `e`, RFC 7518 §6.3.1) and EC keys on P-256 or P-384 (`crv`, `x`, `y`,
/// §6.2.1), each selected by its `kid`. Keys meant for encryption (`use` other than `sig`,
/// `key_ops` without `verify`) and key types this verifier does not know are skipped (RFC 7517
/// §5: "SHOULD ignore"); a private key (`d`) or a symmetric one (`oct`) is refused, since such a
/// file would hold a secret in plain sight. Every error names the file and the key.
public struct JSONWebKeySet: Sendable {
    public let keys: [JWTVerifier.Key]

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(file path: String) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read the JWKS file \(path)") }
        try self.init(json: Array(data), origin: path)
    }

    /// The keys of the JWKS text `bytes`; `origin` names it in errors.
    public init(json bytes: [UInt8], origin: String) throws(Failure) {
        let set: JSONValue
        do { set = try JSONValue(parsing: bytes) } catch { throw Failure(description: "\(origin): not JSON: \(error)") }
        guard let list = set["keys"]?.arrayValue else { throw Failure(description: "\(origin): a JWK Set is an object with a keys array (RFC 7517 §5)") }
        var keys: [JWTVerifier.Key] = []
        for (index, jwk) in list.enumerated() {
            let kid = jwk["kid"]?.stringValue
            let name = "\(origin): keys[\(index)]" + (kid.map { " (kid \"\($0)\")" } ?? "")
            if let key = try Self.key(jwk, kid: kid, name: name) { keys.append(key) }
        }
        self.keys = keys
    }

    /// One JWK as a verification key; nil for a key to skip.
    static func key(_ jwk: JSONValue, kid: String?, name: String) throws(Failure) -> JWTVerifier.Key? {
        guard case .object = jwk, let kty = jwk["kty"]?.stringValue else { throw Failure(description: "\(name): a JWK is an object with kty") }
        if let use = jwk["use"]?.stringValue, use != "sig" { return nil }
        if let ops = jwk["key_ops"]?.arrayValue, !ops.contains(.string("verify")) { return nil }
        guard jwk["d"] == nil else { throw Failure(description: "\(name): holds a private key (d); a JWKS for verification holds public keys only") }
        let alg = jwk["alg"]?.stringValue
        func member(_ field: String) throws(Failure) -> [UInt8] {
            guard let text = jwk[field]?.stringValue, !text.isEmpty else { throw Failure(description: "\(name): a JWK of kty \(kty) needs \(field)") }
            do { return try Base64.decode(Array(text.utf8), alphabet: .url) } catch {
                throw Failure(description: "\(name): \(field) is not base64url: \(error)")
            }
        }
        do {
            switch kty {
            case "RSA":
                if let alg, !["RS256", "RS384", "RS512"].contains(alg) { throw Failure(description: "\(name): alg \(alg) is not one of an RSA key (RS256, RS384, RS512)") }
                return .publicKey(id: kid, try PublicKey(rsaModulus: try member("n"), exponent: try member("e")))
            case "EC":
                let crv = jwk["crv"]?.stringValue ?? ""
                let (group, size, curveAlg): (String, Int, String) = switch crv {
                case "P-256": ("prime256v1", 32, "ES256")
                case "P-384": ("secp384r1", 48, "ES384")
                default: throw Failure(description: "\(name): crv '\(crv)' is not accepted (P-256 for ES256, P-384 for ES384)")
                }
                if let alg, alg != curveAlg { throw Failure(description: "\(name): alg \(alg) does not go with crv \(crv) (\(curveAlg))") }
                let x = try member("x"), y = try member("y")
                guard x.count == size, y.count == size else {
                    throw Failure(description: "\(name): x and y of a \(crv) key are \(size) bytes each (RFC 7518 §6.2.1.2), got \(x.count) and \(y.count)")
                }
                return .publicKey(id: kid, try PublicKey(curve: group, x: x, y: y))
            case "oct":
                throw Failure(description: "\(name): a symmetric key (oct) does not belong in a JWKS file; give HMAC secrets under jwt.keys with secret: by reference")
            default:
                return nil
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as PrivateKey.Failure {
            switch error {
            case .unreadable(let detail): throw Failure(description: "\(name): \(detail)")
            }
        } catch {
            throw Failure(description: "\(name): \(error)")
        }
    }
}
