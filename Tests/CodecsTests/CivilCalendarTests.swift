import Codecs
import Testing

@Suite("Civil calendar and UTC timestamps")
struct CivilCalendarTests {
    @Test("day numbers round-trip over four centuries, leap days included")
    func roundTrip() {
        var days = CivilCalendar.daysSince1970(year: 1800, month: 1, day: 1)
        for year in 1800..<2200 {
            for month in 1...12 {
                for day in 1...CivilCalendar.daysIn(month: month, year: year) {
                    #expect(CivilCalendar.date(daysSince1970: days) == (year, month, day))
                    #expect(CivilCalendar.daysSince1970(year: year, month: month, day: day) == days)
                    days += 1
                }
            }
        }
    }

    @Test("leap years follow the Gregorian rule")
    func leapYears() {
        #expect(CivilCalendar.isLeap(2000) && CivilCalendar.isLeap(2024))
        #expect(!CivilCalendar.isLeap(1900) && !CivilCalendar.isLeap(2100) && !CivilCalendar.isLeap(2023))
    }

    @Test("RFC 9110's example date in both text forms")
    func rfc9110Example() {
        // RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT" is 784111777 s after the epoch.
        let time = UTCTimestamp(secondsSince1970: 784_111_777)
        #expect(time.imfFixdate == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(time.rfc3339 == "1994-11-06T08:49:37.000Z")
    }

    @Test("milliseconds and times before 1970")
    func beforeTheEpoch() {
        #expect(UTCTimestamp(millisecondsSince1970: 1_764_640_279_123).rfc3339 == "2025-12-02T01:51:19.123Z")
        #expect(UTCTimestamp(millisecondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(UTCTimestamp(secondsSince1970: -12_614_400_001).imfFixdate == "Tue, 07 Apr 1570 23:59:59 GMT")
    }
}
