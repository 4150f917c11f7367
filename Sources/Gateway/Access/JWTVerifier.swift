import Codecs
import Foundation
import JSON

/// Verifies JWT bearer tokens (RFC 7519) signed as JWS compact serialization (RFC 7515) with
/// HS256/384/512, RS256/384/512 or ES256/384 (RFC 7518 §3), against keys from the configuration
/// only: `alg: none` and any algorithm whose key type does not match are refused, so a public key
/// can never be used as an HMAC secret. Then the claims: `exp` (required) and `nbf` with a minute
/// of leeway for clocks, `iss` equal to the issuer, `aud` naming the audience. The principal's
/// scopes come from `scope` (space-separated, RFC 8693 §4.2) or `scp` (a list).
public struct JWTVerifier: Sendable {
    public enum Key: Sendable {
        case secret(id: String?, [UInt8])
        case publicKey(id: String?, PublicKey)

        var id: String? {
            switch self {
            case .secret(let id, _), .publicKey(let id, _): id
            }
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case algorithm(String)
        case signature
        case claim(String)

        public var description: String {
            switch self {
            case .malformed(let why): "not a JWT: \(why)"
            case .algorithm(let alg): "algorithm '\(alg)' is not accepted"
            case .signature: "the signature does not verify with any configured key"
            case .claim(let why): why
            }
        }
    }

    public let keys: [Key]
    public let issuer: String
    public let audience: String
    public let leeway: TimeInterval

    public init(keys: [Key], issuer: String, audience: String, leeway: TimeInterval = 60) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Whether `token` has the shape of a JWS (three base64url parts), to tell it from an API key.
    public static func looksLikeJWT(_ token: [UInt8]) -> Bool { token.lazy.filter { $0 == UInt8(ascii: ".") }.count == 2 }

    public func verify(_ token: [UInt8], now: Date = Date()) -> Result<Principal, Failure> {
        let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("a JWS has three parts")) }
        guard let headerBytes = try? Base64.decode(parts[0], alphabet: .url), let header = try? JSONValue(parsing: headerBytes),
              let payloadBytes = try? Base64.decode(parts[1], alphabet: .url), let claims = try? JSONValue(parsing: payloadBytes),
              let signature = try? Base64.decode(parts[2], alphabet: .url) else {
            return .failure(.malformed("a part is not base64url JSON"))
        }
        guard let alg = header["alg"]?.stringValue else { return .failure(.malformed("no alg in the header")) }
        let signed = Array(token[..<(parts[0].count + 1 + parts[1].count)])
        let kid = header["kid"]?.stringValue
        let candidates = keys.filter { kid == nil || $0.id == nil || $0.id == kid }
        let verified: Bool
        switch alg {
        case "HS256", "HS384", "HS512":
            let digest = Self.digest(alg)
            verified = candidates.contains {
                guard case .secret(_, let secret) = $0 else { return false }
                return ConstantTimeComparison.areEqual(HMAC.authenticationCode(algorithm: digest, key: secret, message: signed), signature)
            }
        case "RS256", "RS384", "RS512":
            verified = candidates.contains {
                guard case .publicKey(_, let key) = $0, key.isRSA else { return false }
                return key.verifies(signature, of: signed, digest: Self.digest(alg))
            }
        case "ES256", "ES384":
            guard let der = PublicKey.derECDSASignature(raw: signature), signature.count == (alg == "ES256" ? 64 : 96) else { return .failure(.signature) }
            verified = candidates.contains {
                guard case .publicKey(_, let key) = $0, !key.isRSA else { return false }
                return key.verifies(der, of: signed, digest: Self.digest(alg))
            }
        default:
            return .failure(.algorithm(alg))
        }
        guard verified else { return .failure(.signature) }
        return check(claims, now: now)
    }

    private func check(_ claims: JSONValue, now: Date) -> Result<Principal, Failure> {
        let t = now.timeIntervalSince1970
        guard let exp = claims["exp"]?.doubleValue else { return .failure(.claim("the token has no exp")) }
        guard t < exp + leeway else { return .failure(.claim("the token expired")) }
        if let nbf = claims["nbf"]?.doubleValue, t + leeway < nbf { return .failure(.claim("the token is not valid yet (nbf)")) }
        guard claims["iss"]?.stringValue == issuer else { return .failure(.claim("the issuer is not \(issuer)")) }
        let audiences: [String] = switch claims["aud"] {
        case .string(let a)?: [a]
        case .array(let list)?: list.compactMap(\.stringValue)
        default: []
        }
        guard audiences.contains(audience) else { return .failure(.claim("the audience is not \(audience)")) }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else { return .failure(.claim("the token has no sub")) }
        var scopes = Set((claims["scope"]?.stringValue ?? "").split(separator: " ").map(String.init))
        if case .array(let list)? = claims["scp"] { scopes.formUnion(list.compactMap(\.stringValue)) }
        return .success(Principal(id: "jwt:" + subject, name: subject, scopes: scopes))
    }

    static func digest(_ alg: String) -> DigestAlgorithm {
        switch alg.suffix(3) {
        case "384": .sha384
        case "512": .sha512
        default: .sha256
        }
    }
}
