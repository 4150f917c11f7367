import Foundation
import Testing

@testable import HTTPClient

@Suite("Retry-After (RFC 9110 §10.2.3)")
struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00:00Z

    private func parse(_ text: String) throws -> RetryAfter {
        try RetryAfter.parse(Array(text.utf8), now: now)
    }

    @Test("delay-seconds")
    func delaySeconds() throws {
        #expect(try parse("120") == .seconds(120))
        #expect(try parse(" 0 ") == .seconds(0))
        #expect(try parse("120").delay(now: now) == .seconds(120))
    }

    @Test("very large delay-seconds are capped at 2^31")
    func overflowingSeconds() throws {
        #expect(try parse("99999999999999999999999") == .seconds(2_147_483_648))
    }

    @Test("IMF-fixdate, the RFC's example")
    func imfFixdate() throws {
        #expect(try parse("Sun, 06 Nov 1994 08:49:37 GMT") == .date(secondsSince1970: 784_111_777))
    }

    @Test("obsolete RFC 850 date")
    func rfc850() throws {
        #expect(try parse("Sunday, 06-Nov-94 08:49:37 GMT") == .date(secondsSince1970: 784_111_777))
    }

    @Test("asctime date with a space-padded day")
    func asctime() throws {
        #expect(try parse("Sun Nov  6 08:49:37 1994") == .date(secondsSince1970: 784_111_777))
    }

    @Test("RFC 850 two-digit year more than 50 years ahead belongs to the past century")
    func twoDigitYears() throws {
        // now is 2025: "75" would be 2075 (50 years ahead, allowed), "80" would be 2080 -> 1980.
        #expect(try parse("Monday, 01-Jan-75 00:00:00 GMT") == .date(secondsSince1970: 3_313_526_400))
        #expect(try parse("Tuesday, 01-Jan-80 00:00:00 GMT") == .date(secondsSince1970: 315_532_800))
    }

    @Test("leap day exists in 2024 and not in 2025")
    func leapDay() throws {
        #expect(try parse("Thu, 29 Feb 2024 00:00:00 GMT") == .date(secondsSince1970: 1_709_164_800))
        let error = #expect(throws: RetryAfterParseError.self) { try parse("Sat, 29 Feb 2025 00:00:00 GMT") }
        #expect(error?.message.contains("day 29") == true)
    }

    @Test("a date in the past means no delay; a future date the difference")
    func delayFromDate() throws {
        #expect(try parse("Sun, 06 Nov 1994 08:49:37 GMT").delay(now: now) == .zero)
        let future = RetryAfter.date(secondsSince1970: 1_764_000_090)
        #expect(future.delay(now: now) == .seconds(90))
    }

    @Test("errors name what was expected and where", arguments: [
        ("", 0, "empty value"),
        ("12a", 2, "expected a digit or the end of delay-seconds"),
        ("Sun, 06 Now 1994 08:49:37 GMT", 8, "month name"),
        ("Sun, 06 Nov 1994 25:49:37 GMT", 17, "time of day out of range"),
        ("Sun, 06 Nov 1994 08:49:37 UTC", 26, "'GMT'"),
        ("Funday, 06-Nov-94 08:49:37 GMT", 0, "day name"),
        ("Sun, 06 Nov 1994 08:49:37 GMT x", 29, "the end of the HTTP-date"),
    ])
    func errors(text: String, offset: Int, message: String) {
        let error = #expect(throws: RetryAfterParseError.self) { try parse(text) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true)
    }

    @Test("HTTP-date is case-sensitive")
    func caseSensitive() {
        #expect(throws: RetryAfterParseError.self) { try parse("sun, 06 nov 1994 08:49:37 gmt") }
    }
}
