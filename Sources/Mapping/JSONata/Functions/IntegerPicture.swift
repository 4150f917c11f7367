import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A picture string of XPath F&O 3.1 `fn:format-integer` (§4.6.1), as JSONata uses it in
/// `$formatInteger`, `$parseInteger` and the integer components of date/time pictures:
/// decimal digit patterns (`0`, `#,##0`, `000`, other Unicode digit families), `A`/`a` letters,
/// `I`/`i` roman numerals, `W`/`w`/`Ww` words, and the `;o` ordinal modifier.
struct IntegerPicture {
    enum Primary: Equatable {
        case decimal, letters, roman, words
        /// A numbering sequence this implementation does not support (D3130 when used).
        case sequence(String)
    }

    enum LetterCase { case upper, lower, title }

    struct Separator {
        var position: Int  // digits to its right
        var character: String
    }

    var primary: Primary = .decimal
    var letterCase: LetterCase = .lower
    var ordinal = false
    /// Code point of the zero of the digit family.
    var zeroCode: UInt32 = 0x30
    var mandatoryDigits = 0
    var optionalDigits = 0
    /// Regular grouping: one separator character repeated every `regularInterval` digits.
    var regularInterval = 0
    var separators: [Separator] = []
    /// Exact digit count to read when parsing a date component that is immediately followed by
    /// another number.
    var parseWidth: Int? = nil

    /// Zero digits of the Unicode decimal digit families (general category Nd) in the BMP.
    static let decimalFamilies: [UInt32] = [
        0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
        0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
        0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ]

    static func family(of c: UInt32) -> UInt32? {
        for zero in decimalFamilies where c >= zero && c <= zero + 9 { return zero }
        return nil
    }

    /// Analyses a picture; D3131 when a decimal pattern mixes digit families.
    init(_ picture: String) throws {
        var primaryFormat = picture
        if let semicolon = picture.lastIndex(of: ";") {
            primaryFormat = String(picture[..<semicolon])
            let modifier = picture[picture.index(after: semicolon)...]
            if modifier.first == "o" { ordinal = true }
        }
        switch primaryFormat {
        case "A": letterCase = .upper; primary = .letters
        case "a": primary = .letters
        case "I": letterCase = .upper; primary = .roman
        case "i": primary = .roman
        case "W": letterCase = .upper; primary = .words
        case "Ww": letterCase = .title; primary = .words
        case "w": primary = .words
        default:
            var zero: UInt32? = nil
            var position = 0
            var found: [Separator] = []
            for scalar in primaryFormat.unicodeScalars.reversed() {
                if let f = IntegerPicture.family(of: scalar.value) {
                    if let z = zero, z != f {
                        throw JSONataError("D3131", "In a decimal digit pattern, all digits must be from the same decimal group")
                    }
                    zero = f
                    mandatoryDigits += 1
                    position += 1
                } else if scalar == "#" {
                    optionalDigits += 1
                    position += 1
                } else {
                    found.append(Separator(position: position, character: String(scalar)))
                }
            }
            guard mandatoryDigits > 0, let zero else {
                primary = .sequence(primaryFormat)
                return
            }
            primary = .decimal
            zeroCode = zero
            regularInterval = IntegerPicture.regularInterval(found)
            separators = found
        }
    }

    /// The interval when separators are one character at equal distances (positions n, 2n, 3n…),
    /// else 0.
    private static func regularInterval(_ separators: [Separator]) -> Int {
        guard let first = separators.first else { return 0 }
        guard separators.allSatisfy({ $0.character == first.character }) else { return 0 }
        let positions = separators.map(\.position)
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let factor = positions.dropFirst().reduce(positions[0], gcd)
        for i in 1...positions.count where !positions.contains(i * factor) { return 0 }
        return factor
    }

    // MARK: Formatting

    /// Formats an integer-valued number (callers floor it first).
    func format(_ value: Double) throws -> String {
        let negative = value < 0
        let magnitude = abs(value)
        var text: String
        switch primary {
        case .letters:
            text = IntegerPicture.letters(magnitude, upper: letterCase == .upper)
        case .roman:
            text = IntegerPicture.roman(magnitude)
            if letterCase == .upper { text = text.uppercased() }
        case .words:
            text = IntegerPicture.words(magnitude, ordinal: ordinal)
            if letterCase == .upper { text = text.uppercased() } else if letterCase == .lower { text = text.lowercased() }
        case .decimal:
            text = formatDecimal(magnitude)
        case .sequence(let token):
            throw JSONataError("D3130", "Formatting or parsing an integer as a sequence starting with \(token) is not supported by this implementation")
        }
        return negative ? "-" + text : text
    }

    private func formatDecimal(_ magnitude: Double) -> String {
        var digits = Array(NumberFormatting.javaScript(magnitude).unicodeScalars)
        if digits.count < mandatoryDigits {
            digits = [Unicode.Scalar](repeating: "0", count: mandatoryDigits - digits.count) + digits
        }
        if zeroCode != 0x30 {
            digits = digits.map { c in
                guard c.value >= 0x30 && c.value <= 0x39, let s = Unicode.Scalar(c.value - 0x30 + zeroCode) else { return c }
                return s
            }
        }
        var out = String.UnicodeScalarView()
        let n = digits.count
        if regularInterval > 0 {
            let separator = separators[0].character.unicodeScalars
            for (i, d) in digits.enumerated() {
                let right = n - i
                if i > 0 && right % regularInterval == 0 { out.append(contentsOf: separator) }
                out.append(d)
            }
        } else {
            // Each separator sits a fixed number of digits from the right; those beyond the
            // number's own digits are left out (XPath F&O 4.6.1).
            var at: [Int: String] = [:]
            // `separators` runs right to left; prepend so that several at one position keep the
            // picture's left-to-right order.
            for s in separators where s.position > 0 && s.position < n { at[s.position] = s.character + (at[s.position] ?? "") }
            for (i, d) in digits.enumerated() {
                if i > 0, let sep = at[n - i] { out.append(contentsOf: sep.unicodeScalars) }
                out.append(d)
            }
        }
        var text = String(out)
        if ordinal {
            let scalars = Array(text.unicodeScalars)
            let last = scalars.last
            let tens = scalars.count > 1 ? scalars[scalars.count - 2] : nil
            var suffix = "th"
            if tens != "1" {
                switch last {
                case "1": suffix = "st"
                case "2": suffix = "nd"
                case "3": suffix = "rd"
                default: break
                }
            }
            text += suffix
        }
        return text
    }

    // MARK: Parsing

    /// Reads a number written with this picture; nil when the text does not contain one.
    func parse(_ text: String) throws -> Double? {
        switch primary {
        case .letters:
            return IntegerPicture.lettersValue(text, upper: letterCase == .upper)
        case .roman:
            return IntegerPicture.romanValue(letterCase == .upper ? text : text.uppercased())
        case .words:
            return IntegerPicture.wordsValue(text.lowercased())
        case .decimal:
            var scalars = Array(text.unicodeScalars)
            if ordinal && scalars.count >= 2 { scalars.removeLast(2) }
            let separatorScalars = Set(separators.flatMap { Array($0.character.unicodeScalars) })
            var digits = ""
            for c in scalars where !separatorScalars.contains(c) {
                if zeroCode != 0x30, c.value >= zeroCode, c.value <= zeroCode + 9 {
                    digits.unicodeScalars.append(Unicode.Scalar(c.value - zeroCode + 0x30)!)
                } else {
                    digits.unicodeScalars.append(c)
                }
            }
            return JavaScriptNumbers.parseInt(digits)
        case .sequence(let token):
            throw JSONataError("D3130", "Formatting or parsing an integer as a sequence starting with \(token) is not supported by this implementation")
        }
    }

    /// A regular-expression fragment matching what `parse` reads (for date/time parsing).
    func regexFragment() throws -> String {
        switch primary {
        case .letters:
            return letterCase == .upper ? "[A-Z]+" : "[a-z]+"
        case .roman:
            return letterCase == .upper ? "[MDCLXVI]+" : "[mdclxvi]+"
        case .words:
            let words = IntegerPicture.wordValues.map(\.word) + ["and", "[\\-, ]"]
            return "(?:" + words.joined(separator: "|") + ")+"
        case .decimal:
            var r = "[0-9]"
            if let w = parseWidth { r += "{\(w)}" } else { r += "+" }
            if ordinal { r += "(?:th|st|nd|rd)" }
            return r
        case .sequence(let token):
            throw JSONataError("D3130", "Formatting or parsing an integer as a sequence starting with \(token) is not supported by this implementation")
        }
    }

    // MARK: Letters, roman numerals, words

    /// Spreadsheet-column style: 1 → a, 26 → z, 27 → aa.
    static func letters(_ value: Double, upper: Bool) -> String {
        let a = upper ? 65 : 97
        var v = Int(min(value, 1e15))
        var out: [UInt8] = []
        while v > 0 {
            out.append(UInt8(a + (v - 1) % 26))
            v = (v - 1) / 26
        }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    static func lettersValue(_ text: String, upper: Bool) -> Double {
        let a = upper ? 65.0 : 97.0
        var total = 0.0
        for (i, c) in text.utf16.reversed().enumerated() {
            total += (Double(c) - a + 1) * JavaScriptNumbers.pow(26, Double(i))
        }
        return total
    }

    private static let romanNumerals: [(Double, String)] = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
        (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]

    static func roman(_ value: Double) -> String {
        var v = min(value, 1e7)
        var out = ""
        for (n, numeral) in romanNumerals {
            while v >= n {
                out += numeral
                v -= n
            }
        }
        return out
    }

    static func romanValue(_ text: String) -> Double? {
        let values: [Character: Double] = ["M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1]
        var total = 0.0
        var largest = 1.0
        for c in text.reversed() {
            guard let v = values[c] else { return nil }
            if v < largest {
                total -= v
            } else {
                largest = v
                total += v
            }
        }
        return total
    }

    private static let few = [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
        "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
    ]
    private static let ordinals = [
        "Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth",
        "Nineteenth",
    ]
    private static let decades = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"]
    private static let magnitudes = ["Thousand", "Million", "Billion", "Trillion"]

    /// English words in title case ("Five Hundred and Fifty-Five"); the largest magnitude word is
    /// "Trillion", repeated for larger numbers ("Ten Billion Trillion Trillion Trillion").
    static func words(_ value: Double, ordinal: Bool) -> String {
        func lookup(_ num: Double, _ prev: Bool, _ ord: Bool) -> String {
            var words = ""
            if num <= 19 {
                let i = Int(num)
                words = (prev ? " and " : "") + (ord ? ordinals[i] : few[i])
            } else if num < 100 {
                let tens = Int(num / 10)
                let remainder = num.truncatingRemainder(dividingBy: 10)
                words = (prev ? " and " : "") + decades[tens - 2]
                if remainder > 0 {
                    words += "-" + lookup(remainder, false, ord)
                } else if ord {
                    words = String(words.dropLast()) + "ieth"
                }
            } else if num < 1000 {
                let hundreds = Int(num / 100)
                let remainder = num.truncatingRemainder(dividingBy: 100)
                words = (prev ? ", " : "") + few[hundreds] + " Hundred"
                if remainder > 0 {
                    words += lookup(remainder, true, ord)
                } else if ord {
                    words += "th"
                }
            } else {
                var mag = Int((log10(num) / 3).rounded(.down))
                if mag > magnitudes.count { mag = magnitudes.count }
                let factor = JavaScriptNumbers.pow(10, Double(mag * 3))
                let mant = (num / factor).rounded(.down)
                let remainder = num - mant * factor
                words = (prev ? ", " : "") + lookup(mant, false, false) + " " + magnitudes[mag - 1]
                if remainder > 0 {
                    words += lookup(remainder, true, ord)
                } else if ord {
                    words += "th"
                }
            }
            return words
        }
        return lookup(value.rounded(.down), false, ordinal)
    }

    /// Every number word with its value, in the order jsonata-js lists them (which is also the
    /// order of the alternatives in the parsing regex).
    static let wordValues: [(word: String, value: Double)] = {
        var list: [(String, Double)] = []
        func add(_ w: String, _ v: Double) {
            if !list.contains(where: { $0.0 == w }) { list.append((w, v)) } else if let i = list.firstIndex(where: { $0.0 == w }) { list[i].1 = v }
        }
        for (i, w) in few.enumerated() { add(w.lowercased(), Double(i)) }
        for (i, w) in ordinals.enumerated() { add(w.lowercased(), Double(i)) }
        for (i, w) in decades.enumerated() {
            let lw = w.lowercased()
            add(lw, Double((i + 2) * 10))
            add(String(lw.dropLast()) + "ieth", Double((i + 2) * 10))
        }
        add("hundredth", 100)
        for (i, w) in magnitudes.enumerated() {
            let lw = w.lowercased()
            let v = JavaScriptNumbers.pow(10, Double((i + 1) * 3))
            add(lw, v)
            add(lw + "th", v)
        }
        return list
    }()

    private static let wordTable: [String: Double] = {
        var t: [String: Double] = [:]
        for (w, v) in wordValues { t[w] = v }
        return t
    }()

    /// Reads English number words (lower case): "three thousand, seven hundred and thirty".
    static func wordsValue(_ text: String) -> Double? {
        // Split on ", ", " and ", or a single white space, backslash or hyphen.
        let s = Array(text.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
        while i < s.count {
            let c = s[i]
            if c == ",", i + 1 < s.count, isSpace(s[i + 1]) {
                parts.append(String(current)); current = .init(); i += 2; continue
            }
            if isSpace(c), i + 4 < s.count, s[i + 1] == "a", s[i + 2] == "n", s[i + 3] == "d", isSpace(s[i + 4]) {
                parts.append(String(current)); current = .init(); i += 5; continue
            }
            if isSpace(c) || c == "\\" || c == "-" {
                parts.append(String(current)); current = .init(); i += 1; continue
            }
            current.append(c)
            i += 1
        }
        parts.append(String(current))
        var segments: [Double] = [0]
        for part in parts {
            guard let value = wordTable[part] else { return nil }
            if value < 100 {
                var top = segments.removeLast()
                if top >= 1000 {
                    segments.append(top)
                    top = 0
                }
                segments.append(top + value)
            } else {
                segments.append(segments.removeLast() * value)
            }
        }
        return segments.reduce(0, +)
    }
}
