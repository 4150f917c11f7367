/// JSONata's date/time functions (docs.jsonata.org/date-time-functions): `$now $millis
/// $fromMillis $toMillis`. Times are milliseconds since the Unix epoch; text is ISO 8601 by
/// default or follows an XPath `fn:format-dateTime` picture (`DateTimePicture`).
enum DateTimeFunctions {
    static let functions: [NativeFunction] = [
        NativeFunction("now", "<s?s?:s>", arity: 2) { args, ctx in
            try format(EvaluationClock.millis(ctx), picture: args[0]?.stringValue, timezone: args[1]?.stringValue, ctx)
        },
        NativeFunction("millis", "<:n>", arity: 0) { _, ctx in
            .number(EvaluationClock.millis(ctx))
        },
        NativeFunction("fromMillis", "<n-s?s?:s>", arity: 3) { args, ctx in
            guard let millis = args[0]?.numberValue else { return nil }
            return try format(millis, picture: args[1]?.stringValue, timezone: args[2]?.stringValue, ctx)
        },
        NativeFunction("toMillis", "<s-s?:n>", arity: 2) { args, ctx in
            guard case .string(let text)? = args[0] else { return nil }
            if case .string(let picture)? = args[1] {
                do {
                    return try DateTimePicture.parse(text, picture: picture, now: EvaluationClock.millis(ctx)).map(Value.number)
                } catch var e as JSONataError {
                    e.position = e.position ?? ctx.position
                    throw e
                }
            }
            guard ISO8601Timestamp.isWellFormed(text) else {
                throw ctx.error("D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"\(text)\"")
            }
            return ISO8601Timestamp.millis(text).map(Value.number)
        },
    ]

    private static func format(_ millis: Double, picture: String?, timezone: String?, _ ctx: CallContext) throws -> Value? {
        do {
            let p = try picture.map(DateTimePicture.cached) ?? DateTimePicture.iso8601
            let offset = timezone.flatMap(zoneOffsetMinutes) ?? 0
            return try p.format(millis: millis, offsetMinutes: offset).map(Value.string)
        } catch var e as JSONataError {
            e.position = e.position ?? ctx.position
            throw e
        }
    }

    /// The time-zone argument of `$fromMillis`/`$now`: "±HHMM" (jsonata-js reads it with
    /// `parseInt`), also accepted as "±HH:MM" or "±HH". jsonata-js computes negative offsets with
    /// minutes (e.g. "-0330") wrongly; here the sign applies to hours and minutes alike.
    static func zoneOffsetMinutes(_ text: String) -> Int? {
        var s = Array(text.utf8)[...]
        while let c = s.first, JavaScriptNumbers.isJSWhiteSpace(c) { s = s.dropFirst() }
        var sign = 1
        if let c = s.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            sign = c == UInt8(ascii: "-") ? -1 : 1
            s = s.dropFirst()
        }
        let digits = s.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }).map { Int($0 - 0x30) }
        guard !digits.isEmpty else { return nil }
        var rest = s.dropFirst(digits.count)
        var hours = 0
        var minutes = 0
        if digits.count <= 2 {
            hours = digits.reduce(0) { $0 * 10 + $1 }
            if rest.first == UInt8(ascii: ":") {
                rest = rest.dropFirst()
                minutes = rest.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }).reduce(0) { $0 * 10 + Int($1 - 0x30) }
            }
        } else {
            let value = digits.reduce(0) { $0 * 10 + $1 }
            hours = value / 100
            minutes = value % 100
        }
        return sign * (hours * 60 + minutes)
    }
}

/// `$toMillis` without a picture: the ISO 8601 forms jsonata-js accepts
/// (`YYYY[-MM[-DD]][THH:mm:ss][.fff][Z|±HH[:]mm]`), converted as JavaScript's `Date.parse`
/// does, except that a date-time without a zone is read as UTC rather than as the server's
/// local time.
enum ISO8601Timestamp {
    /// The shape check of jsonata-js (D3110 when it fails).
    static func isWellFormed(_ text: String) -> Bool {
        parse(text) != nil
    }

    static func millis(_ text: String) -> Double? {
        guard let p = parse(text), p.valid else { return nil }
        guard var t = UTCCalendar.utc(
            year: Double(p.year), monthIndex: Double(p.month - 1), day: Double(p.day), hour: Double(p.hour),
            minute: Double(p.minute), second: Double(p.second), millisecond: Double(p.millisecond), twoDigitYears: false)
        else { return nil }
        t -= Double(p.offsetMinutes) * 60_000
        return t
    }

    private struct Parts {
        var year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0
        var offsetMinutes = 0
        var valid = true
    }

    private static func parse(_ text: String) -> Parts? {
        let b = Array(text.utf8)
        var i = 0
        var p = Parts()
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: Character) -> Bool {
            if i < b.count && b[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        guard let year = digits(4) else { return nil }
        p.year = year
        var hasMonth = false
        let save = i
        if take("-"), let m = digits(2), m / 10 <= 1 {
            p.month = m
            hasMonth = true
        } else {
            i = save
        }
        let saveDay = i
        if take("-"), let d = digits(2), d / 10 <= 3 {
            p.day = d
            // "YYYY-DD" passes the shape check but is no date.
            if !hasMonth { p.valid = false }
        } else {
            i = saveDay
        }
        var hasTime = false
        if take("T") {
            guard let h = digits(2), h / 10 <= 2, take(":"), let mi = digits(2), mi / 10 <= 5, take(":"),
                let s = digits(2), s / 10 <= 5
            else { return nil }
            p.hour = h
            p.minute = mi
            p.second = s
            hasTime = true
        }
        if take(".") {
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
            let frac = b[start..<min(start + 3, i)]
            var ms = 0
            for (k, d) in frac.enumerated() { ms += Int(d - 0x30) * [100, 10, 1][k] }
            p.millisecond = ms
            if !hasTime { p.valid = false }
        }
        if take("Z") {
            // V8 accepts "2017-10-30Z" as UTC midnight.
        } else if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let h = digits(2), h / 10 <= 2 else { return nil }
            _ = take(":")
            guard let m = digits(2), m / 10 <= 5 else { return nil }
            p.offsetMinutes = sign * (h * 60 + m)
            if !hasTime || h > 23 { p.valid = false }
        }
        guard i == b.count else { return nil }
        // Like V8, any day 1–31 is accepted and overflows into the next month ("02-30").
        if p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 {
            p.valid = false
        }
        if p.hour > 24 || (p.hour == 24 && (p.minute != 0 || p.second != 0 || p.millisecond != 0)) { p.valid = false }
        return p
    }
}

/// The time `$now()` and `$millis()` report, and that `$toMillis` uses to complete partial
/// dates: the evaluation's start, fixed for the whole evaluation as in JSONata.
enum EvaluationClock {
    static func millis(_ ctx: CallContext) -> Double {
        ctx.evaluator.timestamp
    }
}
