/// `$formatNumber(number, picture, options)`: XPath F&O 3.1 `fn:format-number` (§4.7) with the
/// decimal-format properties given by `options` ("decimal-separator", "grouping-separator",
/// "exponent-separator", "minus-sign", "percent", "per-mille", "zero-digit", "digit",
/// "pattern-separator"), following jsonata-js's reading of the specification — including its
/// error precedence (the last failed rule of §4.7.3 is the one reported).
///
/// Text is handled as arrays of code points.
struct NumberPicture {
    typealias Text = [Unicode.Scalar]

    struct Properties {
        var decimalSeparator: Text = ["."]
        var groupingSeparator: Text = [","]
        var exponentSeparator: Text = ["e"]
        var minusSign: Text = ["-"]
        var percent: Text = ["%"]
        var perMille: Text = ["\u{2030}"]
        var zeroDigit: Text = ["0"]
        var digit: Text = ["#"]
        var patternSeparator: Text = [";"]

        init(options: JObject?) throws {
            guard let options else { return }
            for (key, value) in options.fields {
                let text = Array(try JSONataText.string(value, pretty: false).unicodeScalars)
                switch key {
                case "decimal-separator": decimalSeparator = text
                case "grouping-separator": groupingSeparator = text
                case "exponent-separator": exponentSeparator = text
                case "minus-sign": minusSign = text
                case "percent": percent = text
                case "per-mille": perMille = text
                case "zero-digit": zeroDigit = text
                case "digit": digit = text
                case "pattern-separator": patternSeparator = text
                default: break
                }
            }
        }
    }

    /// One analysed sub-picture (§4.7.4 variables).
    private struct SubPicture {
        var prefix: Text
        var suffix: Text
        var picture: Text
        var integerGroupingPositions: [Int]
        var regularGrouping: Int
        var minimumIntegerPartSize: Int
        var scalingFactor: Int
        var fractionalGroupingPositions: [Int]
        var minimumFractionalPartSize: Int
        var maximumFractionalPartSize: Int
        var minimumExponentSize: Int
    }

    private let properties: Properties
    private let digits: Text
    private let subPictures: [SubPicture]

    init(_ picture: String, options: JObject?) throws {
        let p = try Properties(options: options)
        properties = p
        var family: Text = []
        if let zero = p.zeroDigit.first {
            for i in 0..<10 { if let s = Unicode.Scalar(zero.value + UInt32(i)) { family.append(s) } }
        }
        digits = family
        let parts = NumberPicture.split(Array(picture.unicodeScalars), by: p.patternSeparator)
        if parts.count > 2 {
            throw JSONataError("D3080", "The picture string must only contain a maximum of two sub-pictures")
        }
        var analysed: [SubPicture] = []
        for part in parts {
            analysed.append(try NumberPicture.analyse(part, p, family))
        }
        if analysed.count == 1 {
            var negative = analysed[0]
            negative.prefix = p.minusSign + negative.prefix
            analysed.append(negative)
        }
        subPictures = analysed
    }

    // MARK: Analysis (§4.7.3 validation, §4.7.4 analysis)

    private static func isActive(_ c: Unicode.Scalar, _ p: Properties, _ family: Text) -> Bool {
        if family.contains(c) { return true }
        for s in [p.decimalSeparator, p.exponentSeparator, p.groupingSeparator, p.digit, p.patternSeparator]
        where s.count == 1 && s[0] == c {
            return true
        }
        return false
    }

    private static func analyse(_ sub: Text, _ p: Properties, _ family: Text) throws -> SubPicture {
        func isDigit(_ c: Unicode.Scalar) -> Bool { family.contains(c) }
        func isDigitOrOptional(_ c: Unicode.Scalar) -> Bool { family.contains(c) || (p.digit.count == 1 && p.digit[0] == c) }
        let exponentChar: Unicode.Scalar? = p.exponentSeparator.count == 1 ? p.exponentSeparator[0] : nil
        func activeNotExponent(_ c: Unicode.Scalar) -> Bool { isActive(c, p, family) && c != exponentChar }

        var prefixLength = 0
        if let i = sub.firstIndex(where: activeNotExponent) { prefixLength = i }
        var suffixLength = 0
        if let i = sub.lastIndex(where: activeNotExponent) { suffixLength = sub.count - i - 1 }
        let prefix = Array(sub[0..<prefixLength])
        let suffix = Array(sub[(sub.count - suffixLength)...])
        let activeEnd = max(prefixLength, sub.count - suffixLength)
        let activePart = Array(sub[prefixLength..<activeEnd])

        var mantissaPart = activePart
        var exponentPart: Text? = nil
        if let at = indexOf(p.exponentSeparator, in: sub, from: prefixLength), at <= sub.count - suffixLength {
            let relative = at - prefixLength
            mantissaPart = Array(activePart[0..<min(relative, activePart.count)])
            let after = min(relative + p.exponentSeparator.count, activePart.count)
            exponentPart = Array(activePart[after...])
        }
        let integerPart: Text
        let fractionalPart: Text
        if let dot = indexOf(p.decimalSeparator, in: mantissaPart, from: 0) {
            integerPart = Array(mantissaPart[0..<dot])
            fractionalPart = Array(mantissaPart[(dot + p.decimalSeparator.count)...])
        } else {
            integerPart = mantissaPart
            fractionalPart = []
        }

        // §4.7.3: every rule is checked; the last one broken gives the error code.
        var error: String? = nil
        let decimalPos = indexOf(p.decimalSeparator, in: sub, from: 0)
        if decimalPos != lastIndexOf(p.decimalSeparator, in: sub) { error = "D3081" }
        if indexOf(p.percent, in: sub, from: 0) != lastIndexOf(p.percent, in: sub) { error = "D3082" }
        if indexOf(p.perMille, in: sub, from: 0) != lastIndexOf(p.perMille, in: sub) { error = "D3083" }
        let hasPercent = indexOf(p.percent, in: sub, from: 0) != nil
        let hasPerMille = indexOf(p.perMille, in: sub, from: 0) != nil
        if hasPercent && hasPerMille { error = "D3084" }
        if !mantissaPart.contains(where: isDigitOrOptional) { error = "D3085" }
        if activePart.contains(where: { !isActive($0, p, family) }) { error = "D3086" }
        let grouping: Unicode.Scalar? = p.groupingSeparator.count == 1 ? p.groupingSeparator[0] : nil
        if let dp = decimalPos {
            if (dp > 0 && sub[dp - 1] == grouping) || (dp + 1 < sub.count && sub[dp + 1] == grouping) { error = "D3087" }
        } else if let last = integerPart.last, last == grouping {
            error = "D3088"
        }
        if indexOf(p.groupingSeparator + p.groupingSeparator, in: sub, from: 0) != nil { error = "D3089" }
        if let optional = indexOf(p.digit, in: integerPart, from: 0), integerPart[0..<optional].contains(where: isDigit) {
            error = "D3090"
        }
        if let optional = lastIndexOf(p.digit, in: fractionalPart), fractionalPart[optional...].contains(where: isDigit) {
            error = "D3091"
        }
        if let e = exponentPart, !e.isEmpty, hasPercent || hasPerMille { error = "D3092" }
        if let e = exponentPart, e.isEmpty || e.contains(where: { !isDigit($0) }) { error = "D3093" }
        if let error { throw JSONataError(error, NumberPicture.message(error)) }

        func groupingPositions(_ part: Text, countLeft: Bool) -> [Int] {
            var positions: [Int] = []
            var at = indexOf(p.groupingSeparator, in: part, from: 0)
            while let g = at {
                let side = countLeft ? part[0..<g] : part[g...]
                positions.append(side.filter(isDigitOrOptional).count)
                at = indexOf(p.groupingSeparator, in: part, from: g + 1)
            }
            return positions
        }
        let integerPositions = groupingPositions(integerPart, countLeft: false)
        var regular = 0
        if !integerPositions.isEmpty {
            func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
            let factor = integerPositions.dropFirst().reduce(integerPositions[0], gcd)
            regular = factor
            for i in 1...integerPositions.count where !integerPositions.contains(i * factor) {
                regular = 0
                break
            }
        }
        var minimumInteger = integerPart.filter(isDigit).count
        let scaling = minimumInteger
        var minimumFraction = fractionalPart.filter(isDigit).count
        var maximumFraction = fractionalPart.filter(isDigitOrOptional).count
        let exponentPresent = exponentPart != nil
        if minimumInteger == 0 && maximumFraction == 0 {
            if exponentPresent {
                minimumFraction = 1
                maximumFraction = 1
            } else {
                minimumInteger = 1
            }
        }
        if exponentPresent && minimumInteger == 0 && indexOf(p.digit, in: integerPart, from: 0) != nil {
            minimumInteger = 1
        }
        if minimumInteger == 0 && minimumFraction == 0 { minimumFraction = 1 }
        let minimumExponent = exponentPart.map { $0.filter(isDigit).count } ?? 0

        return SubPicture(
            prefix: prefix, suffix: suffix, picture: sub,
            integerGroupingPositions: integerPositions, regularGrouping: regular,
            minimumIntegerPartSize: minimumInteger, scalingFactor: scaling,
            fractionalGroupingPositions: groupingPositions(fractionalPart, countLeft: true),
            minimumFractionalPartSize: minimumFraction, maximumFractionalPartSize: maximumFraction,
            minimumExponentSize: minimumExponent)
    }

    // MARK: Formatting (§4.7.5)

    func format(_ value: Double) -> String {
        let p = properties
        let pic = value >= 0 ? subPictures[0] : subPictures[1]
        var adjusted = value
        if NumberPicture.indexOf(p.percent, in: pic.picture, from: 0) != nil {
            adjusted = value * 100
        } else if NumberPicture.indexOf(p.perMille, in: pic.picture, from: 0) != nil {
            adjusted = value * 1000
        }
        var mantissa = adjusted
        var exponent: Int? = nil
        if pic.minimumExponentSize > 0 {
            let maxMantissa = JavaScriptNumbers.pow(10, Double(pic.scalingFactor))
            let minMantissa = JavaScriptNumbers.pow(10, Double(pic.scalingFactor - 1))
            var e = 0
            if mantissa != 0 && mantissa.isFinite {
                while abs(mantissa) < minMantissa {
                    mantissa *= 10
                    e -= 1
                }
                while abs(mantissa) > maxMantissa {
                    mantissa /= 10
                    e += 1
                }
            }
            exponent = e
        }
        let rounded = JavaScriptNumbers.roundHalfEven(mantissa, precision: Double(pic.maximumFractionalPartSize))
        let zero = p.zeroDigit.first ?? "0"
        let decimalSeparator = p.decimalSeparator

        var text = makeString(rounded, pic.maximumFractionalPartSize)
        if let dot = text.firstIndex(of: ".") {
            text.replaceSubrange(dot...dot, with: decimalSeparator)
        } else {
            text += decimalSeparator
        }
        while text.first == zero { text.removeFirst() }
        while text.last == zero { text.removeLast() }

        var decimalPos = NumberPicture.indexOf(decimalSeparator, in: text, from: 0) ?? text.count
        let padLeft = pic.minimumIntegerPartSize - decimalPos
        let padRight = pic.minimumFractionalPartSize - (text.count - decimalPos - decimalSeparator.count)
        if padLeft > 0 { text = Text(repeating: zero, count: padLeft) + text }
        if padRight > 0 { text += Text(repeating: zero, count: padRight) }

        decimalPos = NumberPicture.indexOf(decimalSeparator, in: text, from: 0) ?? text.count
        if pic.regularGrouping > 0 {
            let groups = (decimalPos - 1) / pic.regularGrouping
            if groups >= 1 {
                for g in 1...groups {
                    let at = decimalPos - g * pic.regularGrouping
                    text.insert(contentsOf: p.groupingSeparator, at: at)
                }
            }
        } else {
            for position in pic.integerGroupingPositions {
                let at = decimalPos - position
                if at >= 0 && at <= text.count {
                    text.insert(contentsOf: p.groupingSeparator, at: at)
                    decimalPos += p.groupingSeparator.count
                }
            }
        }

        decimalPos = NumberPicture.indexOf(decimalSeparator, in: text, from: 0) ?? text.count
        for position in pic.fractionalGroupingPositions {
            let at = position + decimalPos + decimalSeparator.count
            if at <= text.count { text.insert(contentsOf: p.groupingSeparator, at: at) }
        }

        decimalPos = NumberPicture.indexOf(decimalSeparator, in: text, from: 0) ?? text.count
        if NumberPicture.indexOf(decimalSeparator, in: pic.picture, from: 0) == nil
            || decimalPos == text.count - decimalSeparator.count
        {
            text.removeLast(min(decimalSeparator.count, text.count))
        }

        if let exponent {
            var e = makeString(Double(exponent), 0)
            let pad = pic.minimumExponentSize - e.count
            if pad > 0 { e = Text(repeating: zero, count: pad) + e }
            text += p.exponentSeparator + (exponent < 0 ? p.minusSign : []) + e
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: pic.prefix)
        out.append(contentsOf: text)
        out.append(contentsOf: pic.suffix)
        return String(out)
    }

    /// `Math.abs(value).toFixed(places)` with the digits mapped to the picture's digit family.
    private func makeString(_ value: Double, _ places: Int) -> Text {
        let fixed = Array(JavaScriptNumbers.toFixed(abs(value), places).unicodeScalars)
        guard let zero = properties.zeroDigit.first, zero != "0" else { return fixed }
        return fixed.map { c in
            guard c.value >= 0x30 && c.value <= 0x39, let d = Unicode.Scalar(zero.value + c.value - 0x30) else { return c }
            return d
        }
    }

    // MARK: Text helpers

    static func indexOf(_ needle: Text, in hay: Text, from: Int) -> Int? {
        guard !needle.isEmpty else { return from <= hay.count ? from : nil }
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = max(0, from)
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func lastIndexOf(_ needle: Text, in hay: Text) -> Int? {
        guard !needle.isEmpty else { return hay.count }
        guard hay.count >= needle.count else { return nil }
        var i = hay.count - needle.count
        while i >= 0 {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i -= 1
        }
        return nil
    }

    static func split(_ text: Text, by separator: Text) -> [Text] {
        if separator.isEmpty { return text.map { [$0] } }
        var parts: [Text] = []
        var from = 0
        while let at = indexOf(separator, in: text, from: from) {
            parts.append(Array(text[from..<at]))
            from = at + separator.count
        }
        parts.append(Array(text[from...]))
        return parts
    }

    private static func message(_ code: String) -> String {
        switch code {
        case "D3081": return "The sub-picture must not contain more than one instance of the 'decimal-separator' character"
        case "D3082": return "The sub-picture must not contain more than one instance of the 'percent' character"
        case "D3083": return "The sub-picture must not contain more than one instance of the 'per-mille' character"
        case "D3084": return "The sub-picture must not contain both a 'percent' and a 'per-mille' character"
        case "D3085":
            return "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"
        case "D3086":
            return "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"
        case "D3087": return "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"
        case "D3088": return "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"
        case "D3089": return "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"
        case "D3090":
            return "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"
        case "D3091":
            return "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"
        case "D3092": return "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"
        case "D3093": return "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"
        default: return "Invalid picture string"
        }
    }
}
