import Foundation

/// Times in events are whole milliseconds since the Unix epoch: exact in a JSON number, the same
/// text every time an effect is re-derived (which the store's id check relies on), and sortable.
public enum EventTime {
    public static func encode(_ date: Date) -> JSONValue {
        .number(Double(milliseconds(date)))
    }

    /// The same time as an integer, for events written with `JSONTextWriter`.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The time `encode` wrote; nil for anything but a finite number.
    public static func decode(_ value: JSONValue) -> Date? {
        guard case .number(let ms) = value, ms.isFinite else { return nil }
        return Date(timeIntervalSince1970: ms / 1000)
    }

    /// `date` cut to what an event keeps, so in-memory state equals state rebuilt from the log.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
