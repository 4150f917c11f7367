import Codecs

/// Proleptic Gregorian calendar arithmetic on milliseconds since the Unix epoch, in UTC, with
/// JavaScript `Date` semantics (ECMA-262 §21.4.1: MakeDay/MakeTime/MakeDate/TimeClip); the
/// day-number conversions are `CivilCalendar`'s.
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
        Int(CivilCalendar.daysSince1970(year: year, month: month, day: day))
    }

    /// The UTC fields of a time value; nil outside JavaScript's ±8.64e15 ms range.
    static func fields(_ millis: Double) -> Fields? {
        guard millis.isFinite, abs(millis) <= 8.64e15 else { return nil }
        let t = millis.rounded(.towardZero)
        let dayNumber = (t / msPerDay).rounded(.down)
        let inDay = Int(t - dayNumber * msPerDay)
        let (y, m, d) = CivilCalendar.date(daysSince1970: Int64(dayNumber))
        let weekday = CivilCalendar.weekday(daysSince1970: Int64(dayNumber))
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
}
