import Codecs
import Foundation

/// A `Retry-After` field value (RFC 9110 §10.2.3): either a number of seconds or an HTTP-date.
///
/// ```swift
/// let retryAfter = try RetryAfter.parse(Array("120".utf8))             // .seconds(120)
/// let later = try RetryAfter.parse(Array("Wed, 21 Oct 2015 07:28:00 GMT".utf8))
/// let wait = later.delay(now: Date())                                 // zero when in the past
/// ```
public enum RetryAfter: Sendable, Hashable {
    /// `delay-seconds`: wait this many seconds after the response was received.
    case seconds(Int64)
    /// `HTTP-date`: wait until this time, in seconds since 1970-01-01T00:00:00Z.
    case date(secondsSince1970: Int64)

    /// How long to wait from `now`; never negative.
    public func delay(now: Date = Date()) -> Duration {
        switch self {
        case .seconds(let seconds):
            return .seconds(max(0, seconds))
        case .date(let target):
            let remaining = Double(target) - now.timeIntervalSince1970
            return remaining > 0 ? .milliseconds(Int64((remaining * 1000).rounded(.up))) : .zero
        }
    }

    /// The time to retry at, for either form, given when the response arrived.
    public func date(receivedAt: Date) -> Date {
        switch self {
        case .seconds(let seconds): receivedAt.addingTimeInterval(TimeInterval(max(0, seconds)))
        case .date(let target): Date(timeIntervalSince1970: TimeInterval(target))
        }
    }

    /// Parses a field value. Accepts `delay-seconds` and the three HTTP-date forms recipients
    /// must accept (RFC 9110 §5.6.7): IMF-fixdate, the obsolete RFC 850 form and asctime.
    ///
    /// - Parameter now: the current time, used only to place RFC 850's two-digit years: a year
    ///   more than 50 years in the future means the same two digits a century earlier.
    /// - Throws: ``RetryAfterParseError`` naming what was expected at which byte.
    public static func parse(_ value: [UInt8], now: Date = Date()) throws(RetryAfterParseError) -> RetryAfter {
        var scanner = DateScanner(bytes: value)
        scanner.skipWhitespace()
        scanner.trimTrailingWhitespace()
        guard !scanner.atEnd else { throw RetryAfterParseError(message: "empty value", offset: 0) }

        if scanner.peekIsDigit {
            // delay-seconds = 1*DIGIT. Too large a number means "very long" (RFC 9111 §1.2.2
            // caps such delta-seconds at 2147483648).
            var seconds: Int64 = 0
            while let digit = scanner.digit() {
                seconds = min(seconds * 10 + Int64(digit), 2_147_483_648)
            }
            guard scanner.atEnd else { throw scanner.error("a digit or the end of delay-seconds") }
            return .seconds(seconds)
        }
        return .date(secondsSince1970: try parseHTTPDate(&scanner, now: now))
    }

    /// Parses a field value given as a string (the same rules as the byte form).
    public static func parse(_ value: String, now: Date = Date()) throws(RetryAfterParseError) -> RetryAfter {
        try parse(Array(value.utf8), now: now)
    }

    private static let shortDays = UTCTimestamp.dayNames.map { Array($0.utf8) }
    private static let longDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        .map { Array($0.utf8) }
    private static let months = UTCTimestamp.monthNames.map { Array($0.utf8) }

    private static func parseHTTPDate(_ scanner: inout DateScanner, now: Date) throws(RetryAfterParseError) -> Int64 {
        let dayStart = scanner.offset
        let dayName = scanner.letters()
        let day: Int
        let month: Int
        let year: Int
        let time: (hour: Int, minute: Int, second: Int)

        if scanner.peek == UInt8(ascii: ",") {
            scanner.advance()
            try scanner.expect(UInt8(ascii: " "), "a space after the day name")
            if shortDays.contains(dayName) {
                // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
                day = try scanner.number(digits: 2, "a two-digit day")
                try scanner.expect(UInt8(ascii: " "), "a space after the day")
                month = try monthNumber(&scanner)
                try scanner.expect(UInt8(ascii: " "), "a space after the month")
                year = try scanner.number(digits: 4, "a four-digit year")
            } else if longDays.contains(dayName) {
                // rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT
                day = try scanner.number(digits: 2, "a two-digit day")
                try scanner.expect(UInt8(ascii: "-"), "'-' after the day")
                month = try monthNumber(&scanner)
                try scanner.expect(UInt8(ascii: "-"), "'-' after the month")
                year = fullYear(twoDigits: try scanner.number(digits: 2, "a two-digit year"), now: now)
            } else {
                throw RetryAfterParseError(message: "expected a day name", offset: dayStart)
            }
            try scanner.expect(UInt8(ascii: " "), "a space before the time")
            time = try timeOfDay(&scanner)
            try scanner.expect(UInt8(ascii: " "), "a space before 'GMT'")
            try scanner.expect(Array("GMT".utf8), "'GMT'")
        } else if shortDays.contains(dayName) {
            // asctime-date: Sun Nov  6 08:49:37 1994
            try scanner.expect(UInt8(ascii: " "), "a space after the day name")
            month = try monthNumber(&scanner)
            try scanner.expect(UInt8(ascii: " "), "a space after the month")
            if scanner.peek == UInt8(ascii: " ") {
                scanner.advance()
                day = try scanner.number(digits: 1, "a one-digit day")
            } else {
                day = try scanner.number(digits: 2, "a two-digit day")
            }
            try scanner.expect(UInt8(ascii: " "), "a space before the time")
            time = try timeOfDay(&scanner)
            try scanner.expect(UInt8(ascii: " "), "a space before the year")
            year = try scanner.number(digits: 4, "a four-digit year")
        } else {
            throw RetryAfterParseError(message: "expected delay-seconds or an HTTP-date", offset: dayStart)
        }
        guard scanner.atEnd else { throw scanner.error("the end of the HTTP-date") }
        guard day >= 1, day <= CivilCalendar.daysIn(month: month, year: year) else {
            throw RetryAfterParseError(message: "day \(day) does not exist in month \(month) of \(year)", offset: dayStart)
        }
        let days = CivilCalendar.daysSince1970(year: year, month: month, day: day)
        return days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second)
    }

    private static func monthNumber(_ scanner: inout DateScanner) throws(RetryAfterParseError) -> Int {
        let start = scanner.offset
        let name = scanner.letters()
        guard let index = months.firstIndex(of: name) else {
            throw RetryAfterParseError(message: "expected a month name such as 'Nov'", offset: start)
        }
        return index + 1
    }

    private static func timeOfDay(_ scanner: inout DateScanner) throws(RetryAfterParseError) -> (hour: Int, minute: Int, second: Int) {
        let start = scanner.offset
        let hour = try scanner.number(digits: 2, "a two-digit hour")
        try scanner.expect(UInt8(ascii: ":"), "':' after the hour")
        let minute = try scanner.number(digits: 2, "two-digit minutes")
        try scanner.expect(UInt8(ascii: ":"), "':' after the minutes")
        let second = try scanner.number(digits: 2, "two-digit seconds")
        // 60 is a leap second (RFC 9110 §5.6.7 allows it).
        guard hour <= 23, minute <= 59, second <= 60 else {
            throw RetryAfterParseError(message: "time of day out of range", offset: start)
        }
        return (hour, minute, second)
    }

    /// RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the future is the
    /// most recent past year with those digits.
    private static func fullYear(twoDigits: Int, now: Date) -> Int {
        let currentYear = CivilCalendar.date(daysSince1970: Int64((now.timeIntervalSince1970 / 86_400).rounded(.down))).year
        var year = currentYear - currentYear % 100 + twoDigits
        if year > currentYear + 50 { year -= 100 }
        return year
    }
}

/// Why a `Retry-After` value could not be parsed, and at which byte.
public struct RetryAfterParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Byte offset in the field value.
    public var offset: Int

    public var description: String { "invalid Retry-After value at byte \(offset): \(message)" }
}

/// Reads an HTTP-date byte by byte.
private struct DateScanner {
    let bytes: [UInt8]
    var offset = 0
    var end: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        end = bytes.count
    }

    var atEnd: Bool { offset >= end }
    var peek: UInt8? { offset < end ? bytes[offset] : nil }
    var peekIsDigit: Bool { peek.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    mutating func advance() { offset += 1 }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 { offset += 1 }
    }

    mutating func trimTrailingWhitespace() {
        while end > offset, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    }

    mutating func digit() -> Int? {
        guard peekIsDigit, let byte = peek else { return nil }
        offset += 1
        return Int(byte - 0x30)
    }

    mutating func letters() -> [UInt8] {
        let start = offset
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { offset += 1 }
        return Array(bytes[start..<offset])
    }

    mutating func number(digits: Int, _ what: String) throws(RetryAfterParseError) -> Int {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { throw error(what) }
            value = value * 10 + digit
        }
        return value
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(RetryAfterParseError) {
        guard peek == byte else { throw error(what) }
        offset += 1
    }

    mutating func expect(_ sequence: [UInt8], _ what: String) throws(RetryAfterParseError) {
        guard end - offset >= sequence.count, bytes[offset..<(offset + sequence.count)].elementsEqual(sequence) else {
            throw error(what)
        }
        offset += sequence.count
    }

    func error(_ expected: String) -> RetryAfterParseError {
        RetryAfterParseError(message: "expected \(expected)", offset: offset)
    }
}
