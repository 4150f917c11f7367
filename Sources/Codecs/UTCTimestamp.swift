/// A moment in UTC, split into civil fields, with the two text forms partners and operators see:
/// RFC 3339 (`2026-12-02T01:51:19.123Z`, logs and `events read`) and the IMF-fixdate of HTTP
/// (RFC 9110 §5.6.7, `Wed, 02 Dec 2026 01:51:19 GMT`, the `Date` field). Formatting is done here
/// with fixed English names, never through the C locale.
public struct UTCTimestamp: Sendable, Equatable {
    public var year: Int
    /// 1–12
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int
    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int

    /// The fields of a time given in milliseconds since 1970-01-01T00:00:00Z.
    public init(millisecondsSince1970 milliseconds: Int64) {
        let (days, inDay) = Self.floorDivision(milliseconds, 86_400_000)
        (year, month, day) = CivilCalendar.date(daysSince1970: days)
        weekday = CivilCalendar.weekday(daysSince1970: days)
        hour = Int(inDay / 3_600_000)
        minute = Int(inDay / 60_000 % 60)
        second = Int(inDay / 1000 % 60)
        millisecond = Int(inDay % 1000)
    }

    /// The fields of a time given in whole seconds since the epoch.
    public init(secondsSince1970 seconds: Int64) {
        self.init(millisecondsSince1970: seconds * 1000)
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339 §5.6 with milliseconds).
    public var rfc3339: String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        Self.digits(year, 4, &out); out.append(UInt8(ascii: "-"))
        Self.digits(month, 2, &out); out.append(UInt8(ascii: "-"))
        Self.digits(day, 2, &out); out.append(UInt8(ascii: "T"))
        Self.digits(hour, 2, &out); out.append(UInt8(ascii: ":"))
        Self.digits(minute, 2, &out); out.append(UInt8(ascii: ":"))
        Self.digits(second, 2, &out); out.append(UInt8(ascii: "."))
        Self.digits(millisecond, 3, &out); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
    public var imfFixdate: String {
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: Self.dayNames[weekday].utf8); out.append(contentsOf: ", ".utf8)
        Self.digits(day, 2, &out); out.append(0x20)
        out.append(contentsOf: Self.monthNames[month - 1].utf8); out.append(0x20)
        Self.digits(year, 4, &out); out.append(0x20)
        Self.digits(hour, 2, &out); out.append(UInt8(ascii: ":"))
        Self.digits(minute, 2, &out); out.append(UInt8(ascii: ":"))
        Self.digits(second, 2, &out); out.append(contentsOf: " GMT".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// The three-letter names of RFC 9110 §5.6.7 (`day-name`, `month`), Sunday and January first.
    public static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    public static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `value` in decimal, zero-padded to `width` digits (a negative year gets its sign first).
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var value = value
        if value < 0 { out.append(UInt8(ascii: "-")); value = -value }
        var text = Array(String(value).utf8)
        if text.count < width { text.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.count), at: 0) }
        out.append(contentsOf: text)
    }
}
