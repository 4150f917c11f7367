/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01, in UTC: the one place
/// where dates become day numbers and back (HTTP dates, log and event timestamps, JSONata's date
/// functions). The conversions are the era-based ones of Howard Hinnant's public "chrono-Compatible
/// Low-Level Date Algorithms" (`days_from_civil`, `civil_from_days`): 400-year eras of 146,097
/// days, years counted from March so that the leap day comes last.
public enum CivilCalendar {
    public static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days in `month` (1–12) of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a civil date (month 1–12); negative before 1970.
    public static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let monthFromMarch = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468  // 719468 days from 0000-03-01 to 1970-01-01
    }

    /// The civil date of a day number (month 1–12).
    public static func date(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public static func weekday(daysSince1970 days: Int64) -> Int {
        Int(((days + 4) % 7 + 7) % 7)
    }
}
