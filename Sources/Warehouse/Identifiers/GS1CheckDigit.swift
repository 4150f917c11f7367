/// GS1's mod-10 check digit, shared by GTIN-8/12/13/14 and SSCC-18 (GS1 General Specifications
/// §7.9.1: from the rightmost data digit leftwards, weights alternate 3, 1, 3 …; the check digit
/// brings the weighted sum to a multiple of ten).
public enum GS1CheckDigit {
    /// The check digit for `digits` (the key without its check digit), or nil when a character
    /// is not a decimal digit.
    public static func compute(_ digits: some StringProtocol) -> Int? {
        var sum = 0
        var weight = 3
        for byte in digits.utf8.reversed() {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            sum += Int(byte - UInt8(ascii: "0")) * weight
            weight = weight == 3 ? 1 : 3
        }
        return (10 - sum % 10) % 10
    }

    /// Whether the last digit of `key` is the check digit of the others.
    public static func isValid(_ key: some StringProtocol) -> Bool {
        guard key.utf8.count >= 2, let last = Array(key.utf8).last, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last) else { return false }
        return compute(key.dropLast()) == Int(last - UInt8(ascii: "0"))
    }
}

/// Why a GTIN or SSCC is not one, for validation messages.
public enum GS1KeyProblem {
    /// A GTIN-14 (shorter GTINs are accepted and read left-padded with zeros, as GS1 specifies).
    public static func gtin(_ text: String) -> String? {
        guard [8, 12, 13, 14].contains(text.utf8.count) else { return "a GTIN has 8, 12, 13 or 14 digits, got \(text.utf8.count)" }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return "a GTIN has only digits" }
        guard GS1CheckDigit.isValid(text) else { return "check digit \(text.last!) is wrong: expected \(GS1CheckDigit.compute(text.dropLast())!)" }
        return nil
    }

    /// An SSCC-18 (extension digit, company prefix, serial reference, check digit).
    public static func sscc(_ text: String) -> String? {
        guard text.utf8.count == 18 else { return "an SSCC has 18 digits, got \(text.utf8.count)" }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return "an SSCC has only digits" }
        guard GS1CheckDigit.isValid(text) else { return "check digit \(text.last!) is wrong: expected \(GS1CheckDigit.compute(text.dropLast())!)" }
        return nil
    }
}

/// Builds SSCC-18s from a GS1 company prefix and a serial reference (GS1 General Specifications
/// §2.2.1: extension digit + company prefix + serial reference = 17 digits, then the check digit).
public struct SSCCGenerator: Sendable, Equatable {
    public var extensionDigit: Int
    public var companyPrefix: String

    /// `companyPrefix` has 7 to 10 digits (what GS1 member organisations allocate).
    public init(extensionDigit: Int = 0, companyPrefix: String) {
        self.extensionDigit = extensionDigit
        self.companyPrefix = companyPrefix
    }

    /// The SSCC with `serial` as its serial reference (taken modulo the digits left for it).
    public func sscc(serial: UInt64) -> String {
        let width = 16 - companyPrefix.utf8.count
        var modulus: UInt64 = 1
        for _ in 0..<width { modulus *= 10 }
        let digits = String(serial % modulus)
        let body = "\(extensionDigit)\(companyPrefix)\(String(repeating: "0", count: width - digits.count))\(digits)"
        return body + String(GS1CheckDigit.compute(body)!)
    }
}
