import Foundation

/// A date/time picture string of XPath F&O 3.1 `fn:format-dateTime` (§9.8.4) as JSONata uses it
/// in `$fromMillis`/`$now` (formatting) and `$toMillis` (parsing): literal text and variable
/// markers `[component presentation, width]` such as `[Y0001]`, `[MNn,3-3]`, `[D1o]`,
/// `[Z01:01t]`. Components: Y year, M month, D day, d day of year, F day of week, W week of year,
/// w week of month, X ISO week-numbering year, x week-numbering month, H hour, h 12-hour, P am/pm,
/// m minute, s second, f milliseconds, Z/z time zone, C calendar, E era.
struct DateTimePicture {
    enum Part {
        case literal(String)
        case marker(Marker)
    }

    struct Marker {
        var component: Unicode.Scalar
        var presentation1: String
        var presentation2: Unicode.Scalar? = nil
        var names: IntegerPicture.LetterCase? = nil
        var widthMin: Int? = nil
        var widthMax: Int? = nil
        var integerFormat: IntegerPicture? = nil
        /// Year digits kept (-1: all).
        var yearDigits = -1
    }

    var parts: [Part] = []

    private static let defaultPresentation: [Unicode.Scalar: String] = [
        "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1", "H": "1", "h": "1",
        "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01", "C": "n", "E": "n",
    ]
    private static let integerComponents: Set<Unicode.Scalar> = Set("YMDdFWwXxHhmsf".unicodeScalars)

    private static let analysed = PictureCache<DateTimePicture>()

    /// The analysed picture, from the cache when it was seen before.
    static func cached(_ picture: String) throws -> DateTimePicture {
        try analysed.picture(picture, DateTimePicture.init)
    }

    /// The picture `$fromMillis` uses when none is given (ISO 8601 with milliseconds).
    static let iso8601: DateTimePicture = {
        // The literal picture is valid; analysis cannot fail.
        (try? DateTimePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")) ?? DateTimePicture()
    }()

    private init() {}

    init(_ picture: String) throws {
        let p = Array(picture.unicodeScalars)
        func literal(_ from: Int, _ to: Int) {
            guard to > from else { return }
            var v = String.UnicodeScalarView()
            v.append(contentsOf: p[from..<to])
            parts.append(.literal(String(v).replacingOccurrences(of: "]]", with: "]")))
        }
        var start = 0
        var pos = 0
        while pos < p.count {
            if p[pos] == "[" {
                if pos + 1 < p.count && p[pos + 1] == "[" {
                    literal(start, pos)
                    parts.append(.literal("["))
                    pos += 2
                    start = pos
                    continue
                }
                literal(start, pos)
                start = pos
                guard let close = p[start...].firstIndex(of: "]") else {
                    throw JSONataError("D3135", "No matching closing bracket ']' in date/time picture string")
                }
                pos = close
                let marker = p[(start + 1)..<close].filter { !$0.properties.isWhitespace }
                parts.append(.marker(try DateTimePicture.marker(Array(marker), previous: &parts)))
                start = pos + 1
            }
            pos += 1
        }
        literal(start, pos)
    }

    private static func marker(_ m: [Unicode.Scalar], previous parts: inout [Part]) throws -> Marker {
        guard let component = m.first else {
            throw JSONataError("D3132", "Unknown component specifier in date/time picture string")
        }
        var def = Marker(component: component, presentation1: "")
        var presentation: [Unicode.Scalar]
        if let comma = m.lastIndex(of: ",") {
            let width = m[(comma + 1)...]
            func parseWidth<S: Collection>(_ w: S) -> Int? where S.Element == Unicode.Scalar {
                let s = String(String.UnicodeScalarView(w))
                if s.isEmpty || s == "*" { return nil }
                return JavaScriptNumbers.parseInt(s).map { Int($0) }
            }
            if let dash = width.firstIndex(of: "-") {
                def.widthMin = parseWidth(width[..<dash])
                def.widthMax = parseWidth(width[(dash + 1)...])
            } else {
                def.widthMin = parseWidth(width)
            }
            presentation = Array(m[1..<comma])
        } else {
            presentation = Array(m.dropFirst())
        }
        if presentation.count > 1, let last = presentation.last, "atco".unicodeScalars.contains(last) {
            def.presentation2 = last
            presentation.removeLast()
            def.presentation1 = String(String.UnicodeScalarView(presentation))
        } else if !presentation.isEmpty {
            def.presentation1 = String(String.UnicodeScalarView(presentation))
        } else if let d = defaultPresentation[component] {
            def.presentation1 = d
        } else {
            throw JSONataError("D3132", "Unknown component specifier \(component) in date/time picture string")
        }
        guard defaultPresentation[component] != nil else {
            throw JSONataError("D3132", "Unknown component specifier \(component) in date/time picture string")
        }
        let p1 = Array(def.presentation1.unicodeScalars)
        if p1.first == "n" {
            def.names = .lower
        } else if p1.first == "N" {
            def.names = p1.count > 1 && p1[1] == "n" ? .title : .upper
        } else if integerComponents.contains(component) {
            var pattern = def.presentation1
            if let p2 = def.presentation2 { pattern += ";" + String(p2) }
            var format = try IntegerPicture(pattern)
            // A minimum width only pads decimal numbers; words, letters and roman numerals (which
            // have no digit counts in jsonata-js) keep the whole year unless a maximum is given.
            let decimal = format.primary == .decimal
            if decimal, let min = def.widthMin, format.mandatoryDigits < min { format.mandatoryDigits = min }
            if component == "Y" {
                if let max = def.widthMax {
                    def.yearDigits = max
                    format.mandatoryDigits = max
                } else if decimal {
                    let w = format.mandatoryDigits + format.optionalDigits
                    if w >= 2 { def.yearDigits = w }
                }
            }
            def.integerFormat = format
            // Two numbers with nothing between them can only be parsed with fixed widths.
            if case .marker(var previous)? = parts.last, var pf = previous.integerFormat {
                pf.parseWidth = pf.mandatoryDigits
                previous.integerFormat = pf
                parts[parts.count - 1] = .marker(previous)
            }
        }
        if component == "Z" || component == "z" {
            def.integerFormat = try IntegerPicture(def.presentation1)
        }
        return def
    }

    // MARK: Formatting

    private static let dayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Formats `millis` shifted by `offsetMinutes` (the time zone the text is written in).
    func format(millis: Double, offsetMinutes: Int) throws -> String? {
        let shifted = millis.rounded(.towardZero) + Double(offsetMinutes) * 60_000
        guard let fields = UTCCalendar.fields(shifted) else { return nil }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .marker(let m): out += try format(m, fields, shifted, offsetMinutes)
            }
        }
        return out
    }

    private func format(_ m: Marker, _ f: UTCCalendar.Fields, _ millis: Double, _ offset: Int) throws -> String {
        let c = m.component
        if DateTimePicture.integerComponents.contains(c) && c != "f" {
            var value = DateTimePicture.fragment(c, f, millis)
            if c == "Y" && m.yearDigits != -1 {
                value = value.truncatingRemainder(dividingBy: JavaScriptNumbers.pow(10, Double(m.yearDigits)))
            }
            if let names = m.names {
                var name: String
                switch c {
                case "M", "x": name = DateTimePicture.monthNames[Int(value) - 1]
                case "F": name = DateTimePicture.dayNames[Int(value)]
                default:
                    throw JSONataError("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(c)")
                }
                if names == .upper { name = name.uppercased() } else if names == .lower { name = name.lowercased() }
                if let max = m.widthMax, name.count > max { name = String(name.prefix(max)) }
                return name
            }
            return try m.integerFormat?.format(value) ?? ""
        }
        switch c {
        case "f":
            if m.names != nil {
                throw JSONataError("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not f")
            }
            return try m.integerFormat?.format(Double(f.millisecond)) ?? ""
        case "Z", "z":
            guard let format = m.integerFormat else { return "" }
            let sign = offset < 0 ? -1 : 1
            let hours = offset / 60
            let minutes = abs(offset) % 60
            let hhmm = hours * 100 + sign * minutes
            var text: String
            if format.regularInterval > 0 {
                text = try format.format(Double(hhmm))
            } else {
                switch format.mandatoryDigits {
                case 1, 2:
                    text = try format.format(Double(hours))
                    if hours == 0 && offset < 0 { text = "-" + text }
                    if minutes != 0 { text += ":" + (try IntegerPicture("00").format(Double(minutes))) }
                case 3, 4:
                    text = try format.format(Double(hhmm))
                default:
                    throw JSONataError("D3134", "The timezone integer format specifier cannot have more than four digits")
                }
            }
            if offset >= 0 { text = "+" + text }
            if c == "z" { text = "GMT" + text }
            if offset == 0 && m.presentation2 == "t" { text = "Z" }
            return text
        case "P":
            let text = f.hour >= 12 ? "pm" : "am"
            return m.names == .upper ? text.uppercased() : text
        case "C", "E":
            return "ISO"
        default:
            return ""
        }
    }

    /// The value of an integer component of a (zone-shifted) time.
    static func fragment(_ c: Unicode.Scalar, _ f: UTCCalendar.Fields, _ millis: Double) -> Double {
        switch c {
        case "Y": return Double(f.year)
        case "M": return Double(f.month)
        case "D": return Double(f.day)
        case "d":
            let today = UTCCalendar.days(year: f.year, month: f.month, day: f.day)
            return Double(today - UTCCalendar.days(year: f.year, month: 1, day: 1) + 1)
        case "F": return Double(f.weekday == 0 ? 7 : f.weekday)
        case "W":
            let today = dayStart(f.year, f.month, f.day)
            var week = weeks(from: startOfFirstWeek(f.year, 1), to: today)
            if week > 52 {
                if today >= startOfFirstWeek(f.year + 1, 1) { week = 1 }
            } else if week < 1 {
                week = weeks(from: startOfFirstWeek(f.year - 1, 1), to: today)
            }
            return week.rounded(.down)
        case "w":
            let today = dayStart(f.year, f.month, f.day)
            var week = weeks(from: startOfFirstWeek(f.year, f.month), to: today)
            if week > 4 {
                let (ny, nm) = f.month == 12 ? (f.year + 1, 1) : (f.year, f.month + 1)
                if today >= startOfFirstWeek(ny, nm) { week = 1 }
            } else if week < 1 {
                let (py, pm) = f.month == 1 ? (f.year - 1, 12) : (f.year, f.month - 1)
                week = weeks(from: startOfFirstWeek(py, pm), to: today)
            }
            return week.rounded(.down)
        case "X":
            if millis < startOfFirstWeek(f.year, 1) { return Double(f.year - 1) }
            if millis >= startOfFirstWeek(f.year + 1, 1) { return Double(f.year + 1) }
            return Double(f.year)
        case "x":
            let (ny, nm) = f.month == 12 ? (f.year + 1, 1) : (f.year, f.month + 1)
            if millis < startOfFirstWeek(f.year, f.month) { return Double(f.month == 1 ? 12 : f.month - 1) }
            if millis >= startOfFirstWeek(ny, nm) { return Double(nm) }
            return Double(f.month)
        case "H": return Double(f.hour)
        case "h":
            let h = f.hour % 12
            return Double(h == 0 ? 12 : h)
        case "m": return Double(f.minute)
        case "s": return Double(f.second)
        case "f": return Double(f.millisecond)
        default: return 0
        }
    }

    private static func dayStart(_ y: Int, _ m: Int, _ d: Int) -> Double {
        Double(UTCCalendar.days(year: y, month: m, day: d)) * UTCCalendar.msPerDay
    }

    /// ISO 8601 weeks start on Monday; week 1 of a year (XPath: also of a month) is the one that
    /// contains its first Thursday.
    private static func startOfFirstWeek(_ year: Int, _ month: Int) -> Double {
        let first = UTCCalendar.days(year: year, month: month, day: 1)
        var weekday = ((first + 4) % 7 + 7) % 7
        if weekday == 0 { weekday = 7 }
        let start = weekday > 4 ? first + (8 - weekday) : first - (weekday - 1)
        return Double(start) * UTCCalendar.msPerDay
    }

    private static func weeks(from start: Double, to day: Double) -> Double {
        (day - start) / (UTCCalendar.msPerDay * 7) + 1
    }

    // MARK: Parsing

    struct Field: Sendable {
        var component: Unicode.Scalar
        var regex: String
        var parse: (@Sendable (String) throws -> Double?)?
    }

    /// The picture compiled for parsing: one capturing group per part.
    final class Parser: @unchecked Sendable {
        // Immutable after init; NSRegularExpression is documented as safe to use for matching
        // from several threads at once.
        let fields: [Field]
        let regex: NSRegularExpression

        init(_ picture: DateTimePicture) throws {
            fields = try picture.parts.map(DateTimePicture.field)
            let pattern = "^" + fields.map { "(" + $0.regex + ")" }.joined() + "\\z"
            regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }
    }

    private static let parsers = PictureCache<Parser>()

    /// Parses `text` against the picture `picture`; nil when it does not match or specifies nothing.
    /// Missing components more significant than the given ones come from `now`, less
    /// significant ones default to their minimum; a gap in between raises D3136.
    static func parse(_ text: String, picture: String, now: Double) throws -> Double? {
        let parser = try parsers.picture(picture) { try Parser(DateTimePicture($0)) }
        return try parse(text, parser, now: now)
    }

    private static func parse(_ text: String, _ parser: Parser, now: Double) throws -> Double? {
        let fields = parser.fields
        let regex = parser.regex
        let ns = text as NSString
        guard let match = regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: ns.length)) else {
            return nil
        }
        var components: [Unicode.Scalar: Double?] = [:]
        for (i, field) in fields.enumerated() {
            guard let parse = field.parse else { continue }
            let r = match.range(at: i + 1)
            let captured = r.location == NSNotFound ? "" : ns.substring(with: r)
            components[field.component] = .some(try parse(captured))
        }
        if components.isEmpty { return nil }

        func value(_ c: Unicode.Scalar) -> Double? { components[c] ?? nil }
        func given(_ c: Unicode.Scalar) -> Bool { value(c) != nil }
        // Masks over "YXMxWwdD" and "PHhmsf" (a bit is set when the value is truthy in
        // JavaScript: present and non-zero).
        func mask(_ order: String) -> Int {
            var m = 0
            for c in order.unicodeScalars {
                let v = value(c)
                m = m << 1 | ((v != nil && v != 0 && !v!.isNaN) ? 1 : 0)
            }
            return m
        }
        func isType(_ type: Int, _ mask: Int) -> Bool { (~type & mask) == 0 && (type & mask) != 0 }
        let dateMask = mask("YXMxWwdD")
        let dateA = isType(0b1010_0001, dateMask)
        let dateB = !dateA && isType(0b1000_0010, dateMask)
        let dateC = isType(0b0101_0100, dateMask)
        let dateD = !dateC && isType(0b0100_1000, dateMask)
        let timeMask = mask("PHhmsf")
        let timeA = isType(0b01_0111, timeMask)
        let timeB = !timeA && isType(0b10_1111, timeMask)

        let dateComponents = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD"
        let timeComponents = timeB ? "Phmsf" : "Hmsf"
        let nowFields = UTCCalendar.fields(now)
        var startSpecified = false
        var endSpecified = false
        for c in (dateComponents + timeComponents).unicodeScalars {
            if value(c) == nil {
                if startSpecified {
                    components[c] = .some("MDd".unicodeScalars.contains(c) ? 1 : 0)
                    endSpecified = true
                } else if c == "P" {
                    components[c] = .some(0)
                } else if let nf = nowFields {
                    components[c] = .some(DateTimePicture.fragment(c, nf, now))
                }
            } else {
                startSpecified = true
                if endSpecified {
                    throw JSONataError("D3136", "The date/time picture string is missing specifiers required to parse the timestamp")
                }
            }
        }
        if dateC || dateD {
            throw JSONataError("D3136", "The date/time picture string is missing specifiers required to parse the timestamp")
        }
        var month = (value("M") ?? 0) > 0 ? value("M")! - 1 : 0
        var day = value("D") ?? 1
        if dateB, let y = value("Y"), let d = value("d"), let firstJan = UTCCalendar.utc(year: y, monthIndex: 0) {
            guard let derived = UTCCalendar.fields(firstJan + (d - 1) * UTCCalendar.msPerDay) else { return nil }
            month = Double(derived.month - 1)
            day = Double(derived.day)
        }
        var hour = value("H") ?? 0
        if timeB {
            let h = value("h") ?? 0
            hour = h == 12 ? 0 : h
            if value("P") == 1 { hour += 12 }
        }
        guard let year = value("Y"),
            var millis = UTCCalendar.utc(
                year: year, monthIndex: month, day: day, hour: hour, minute: value("m") ?? 0,
                second: value("s") ?? 0, millisecond: value("f") ?? 0)
        else { return nil }
        if let offset = value("Z") ?? value("z"), offset != 0 {
            millis -= offset * 60_000
        }
        return millis
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if ".*+?^${}()|[]\\".unicodeScalars.contains(c) { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private static func field(_ part: Part) throws -> Field {
        switch part {
        case .literal(let s):
            return Field(component: " ", regex: escape(s), parse: nil)
        case .marker(let m):
            let c = m.component
            if c == "Z" || c == "z" {
                let separator: String? = m.integerFormat.flatMap { $0.regularInterval > 0 ? $0.separators.first?.character : nil }
                var regex = c == "z" ? "GMT" : ""
                regex += "[-+][0-9]+"
                if let separator { regex += escape(separator) + "[0-9]+" }
                return Field(component: c, regex: regex) { text in
                    DateTimePicture.offsetMinutes(c == "z" ? String(text.dropFirst(3)) : text, separator: separator)
                }
            }
            if c == "f" {
                return Field(component: c, regex: "[0-9]+") { text in
                    let digits = String(text.prefix(3))
                    let padded = digits + String(repeating: "0", count: 3 - digits.count)
                    return Double(padded)
                }
            }
            if let format = m.integerFormat {
                return Field(component: c, regex: try format.regexFragment()) { text in try format.parse(text) }
            }
            var lookup: [String: Double] = [:]
            switch c {
            case "M", "x":
                for (i, name) in monthNames.enumerated() {
                    lookup[m.widthMax.map { String(name.prefix($0)) } ?? name] = Double(i + 1)
                }
            case "F":
                for (i, name) in dayNames.enumerated() where i > 0 {
                    lookup[m.widthMax.map { String(name.prefix($0)) } ?? name] = Double(i)
                }
            case "P":
                lookup = ["am": 0, "AM": 0, "pm": 1, "PM": 1]
            default:
                throw JSONataError("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(c)")
            }
            let names = lookup
            return Field(component: c, regex: "[a-zA-Z]+") { text in names[text] }
        }
    }

    /// A parsed zone offset in minutes: "+05:30" with a separator; "+5", "+05" (hours) or
    /// "+0530" without.
    static func offsetMinutes(_ text: String, separator: String?) -> Double? {
        let scalars = Array(text.unicodeScalars)
        guard let signChar = scalars.first else { return nil }
        let sign: Double = signChar == "-" ? -1 : 1
        let body = String(String.UnicodeScalarView(scalars.dropFirst()))
        var hours: Double?
        var minutes: Double? = 0
        if let separator, let r = body.range(of: separator) {
            hours = JavaScriptNumbers.parseInt(String(body[..<r.lowerBound]))
            minutes = JavaScriptNumbers.parseInt(String(body[r.upperBound...]))
        } else if body.unicodeScalars.count <= 2 {
            hours = JavaScriptNumbers.parseInt(body)
        } else {
            hours = JavaScriptNumbers.parseInt(String(body.prefix(2)))
            minutes = JavaScriptNumbers.parseInt(String(body.dropFirst(2)))
        }
        guard let h = hours, let m = minutes else { return nil }
        return sign * (h * 60 + m)
    }
}
