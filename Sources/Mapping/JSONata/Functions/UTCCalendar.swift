/// Proleptic Gregorian calendar arithmetic on milliseconds since the Unix epoch, in UTC, with
/// JavaScript `Date` semantics (ECMA-262 §21.4.1: MakeDay/MakeTime/MakeDate/TimeClip). The
/// day-number conversions follow Howard Hinnant's public "chrono-Compatible Low-Level Date
/// Algorithms" (days_from_civil / civil_from_days).
enum UTCCalendar {
    static let msPerDay = 86_400_000.0

    struct Fields {
        var year: Int
        /// 1–12
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var millisecond: Int
        /// 0 = Sunday … 6 = Saturday, as `getUTCDay`.
        var weekday: Int
    }

    /// Days since 1970-01-01 of a civil date (month 1–12).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = month
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Civil date of a day number.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The UTC fields of a time value; nil outside JavaScript's ±8.64e15 ms range.
    static func fields(_ millis: Double) -> Fields? {
        guard millis.isFinite, abs(millis) <= 8.64e15 else { return nil }
        let t = millis.rounded(.towardZero)
        let dayNumber = (t / msPerDay).rounded(.down)
        let inDay = Int(t - dayNumber * msPerDay)
        let (y, m, d) = civil(days: Int(dayNumber))
        let weekday = ((Int(dayNumber) + 4) % 7 + 7) % 7
        return Fields(
            year: y, month: m, day: d, hour: inDay / 3_600_000, minute: inDay / 60_000 % 60,
            second: inDay / 1000 % 60, millisecond: inDay % 1000, weekday: weekday)
    }

    /// `Date.UTC(year, monthIndex, day, hours, minutes, seconds, ms)`: every argument truncated
    /// to an integer, months and days may overflow into the next year/month; a year 0–99 means
    /// 1900–1999 (a JavaScript rule kept for fidelity when `twoDigitYears` is set). Nil for
    /// non-finite input or a result outside the representable range.
    static func utc(
        year: Double, monthIndex: Double, day: Double = 1, hour: Double = 0, minute: Double = 0,
        second: Double = 0, millisecond: Double = 0, twoDigitYears: Bool = true
    ) -> Double? {
        let values = [year, monthIndex, day, hour, minute, second, millisecond]
        guard values.allSatisfy(\.isFinite) else { return nil }
        var y = year.rounded(.towardZero)
        if twoDigitYears && y >= 0 && y <= 99 { y += 1900 }
        let mi = monthIndex.rounded(.towardZero)
        let ym = y + (mi / 12).rounded(.down)
        guard abs(ym) < 400_000 else { return nil }
        let mn = Int(mi - (mi / 12).rounded(.down) * 12)
        let dayNumber = Double(days(year: Int(ym), month: mn + 1, day: 1)) + day.rounded(.towardZero) - 1
        let time =
            hour.rounded(.towardZero) * 3_600_000 + minute.rounded(.towardZero) * 60_000
            + second.rounded(.towardZero) * 1000 + millisecond.rounded(.towardZero)
        let result = dayNumber * msPerDay + time
        guard abs(result) <= 8.64e15 else { return nil }
        return result
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
