import Codecs

/// `$encodeUrlComponent $encodeUrl $decodeUrlComponent $decodeUrl`: JavaScript's
/// `encodeURIComponent`, `encodeURI`, `decodeURIComponent` and `decodeURI` (ECMA-262 §19.2.6,
/// percent-encoding of UTF-8 as in RFC 3986). Malformed input raises D3140.
enum URLFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("encodeUrlComponent", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(encode(s, keeping: componentUnescaped))
        },
        NativeFunction("encodeUrl", "<s-:s>", arity: 1) { args, _ in
            guard case .string(let s)? = args[0] else { return nil }
            return .string(encode(s, keeping: uriUnescaped))
        },
        NativeFunction("decodeUrlComponent", "<s-:s>", arity: 1) { args, ctx in
            guard case .string(let s)? = args[0] else { return nil }
            guard let out = decode(s, preserving: []) else { throw malformed(ctx, "decodeUrlComponent", s) }
            return .string(out)
        },
        NativeFunction("decodeUrl", "<s-:s>", arity: 1) { args, ctx in
            guard case .string(let s)? = args[0] else { return nil }
            guard let out = decode(s, preserving: reservedForDecodeURI) else { throw malformed(ctx, "decodeUrl", s) }
            return .string(out)
        },
    ]

    private static func malformed(_ ctx: CallContext, _ name: String, _ value: String) -> JSONataError {
        ctx.error("D3140", "Malformed URL passed to $\(name)(): \"\(value)\"")
    }

    /// RFC 3986 §2.3's unreserved characters: letters, digits and `-._~`.
    static let unreserved: [Bool] = table("-._~")
    /// ASCII bytes `encodeURIComponent` leaves as they are: letters, digits and `-_.!~*'()`.
    private static let componentUnescaped: [Bool] = table("-_.!~*'()")
    /// `encodeURI` also keeps the URI reserved characters and `#`.
    private static let uriUnescaped: [Bool] = table("-_.!~*'();/?:@&=+$,#")
    /// Characters `decodeURI` leaves percent-encoded because decoding would change the URI's
    /// structure.
    private static let reservedForDecodeURI: Set<UInt8> = Set(";/?:@&=+$,#".utf8)

    private static func table(_ marks: String) -> [Bool] {
        var t = [Bool](repeating: false, count: 128)
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = true }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = true }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = true }
        for c in marks.utf8 { t[Int(c)] = true }
        return t
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func encode(_ s: String, keeping keep: [Bool]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if b < 128 && keep[Int(b)] {
                out.append(b)
            } else {
                out += [0x25, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The Decode operation of ECMA-262: `%XX` sequences must form well-formed UTF-8 (no
    /// overlong forms, no surrogates, nothing above U+10FFFF); nil when they do not.
    static func decode(_ s: String, preserving reserved: Set<UInt8>) -> String? {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        func byte(at k: Int) -> UInt8? {
            guard k + 2 < b.count, b[k] == 0x25, let hi = Hex.digitValue(b[k + 1]), let lo = Hex.digitValue(b[k + 2])
            else { return nil }
            return hi << 4 | lo
        }
        while i < b.count {
            guard b[i] == 0x25 else {
                out.append(b[i])
                i += 1
                continue
            }
            guard let lead = byte(at: i) else { return nil }
            if lead < 0x80 {
                if reserved.contains(lead) {
                    out += b[i..<(i + 3)]
                } else {
                    out.append(lead)
                }
                i += 3
                continue
            }
            let n: Int
            var scalar: UInt32
            switch lead {
            case 0xC0...0xDF: n = 2; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: n = 3; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF7: n = 4; scalar = UInt32(lead & 0x07)
            default: return nil
            }
            var seq: [UInt8] = [lead]
            var k = i + 3
            for _ in 1..<n {
                guard let cont = byte(at: k), cont & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | UInt32(cont & 0x3F)
                seq.append(cont)
                k += 3
            }
            let minimum: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
            out += seq
            i = k
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Percent-encoding for URL parts built outside expressions (an endpoint's URL template), the
/// same encoder as `$encodeUrlComponent`'s.
public enum PercentEncoding {
    /// Every byte of the UTF-8 but RFC 3986 §2.3's unreserved characters percent-encoded, so the
    /// value cannot change the shape of the URL it is put into.
    public static func encodingAllButUnreserved(_ s: String) -> String { URLFunctions.encode(s, keeping: URLFunctions.unreserved) }
}
