import JSON
import Testing

@testable import Mapping

/// Behaviours of the built-in function library that the official JSONata suite does not pin
/// down: formats partners use (money, fixed-width fields, dates with zone offsets) and the places
/// where this library deliberately differs from jsonata-js (documented at each function).
@Suite struct JSONataFunctionLibraryTests {
    private func eval(_ expression: String, _ input: JSONValue? = nil) throws -> JSONValue? {
        try JSONataExpression(expression).evaluate(input)
    }

    private func code(_ expression: String) -> String? {
        do {
            _ = try eval(expression)
            return nil
        } catch let e as JSONataError {
            return e.code
        } catch {
            return "\(error)"
        }
    }

    // MARK: Strings

    @Test func padFillsFixedWidthFieldsOnEitherSide() throws {
        #expect(try eval(##"$pad("ABC", 6) & "|" & $pad("42", -5, "0")"##) == "ABC   |00042")
    }

    @Test func padCountsCodePointsNotBytes() throws {
        #expect(try eval(##"$length($pad("é😀", 4, "·"))"##) == 4)
    }

    @Test func substringTruncatesFractionalOffsetsAfterAddingThem() throws {
        // start 1.9, end 1.9 + 3.2 = 5.1: code points 1 to 4, as Array.prototype.slice takes them.
        #expect(try eval(##"$substring("warehouse", 1.9, 3.2)"##) == "areh")
    }

    @Test func stringWritesIntegersBeyondFifteenDigitsExactly() throws {
        #expect(try eval("$string(order)", ["order": 5_890_840_712_243_076]) == "5890840712243076")
    }

    @Test func stringRoundsOtherNumbersToFifteenSignificantDigits() throws {
        #expect(try eval("$string([0.1 + 0.2])") == "[0.3]")
    }

    @Test func base64RoundTripsLatin1Text() throws {
        #expect(try eval(##"$base64decode($base64encode("Grüße"))"##) == "Grüße")
    }

    @Test func urlDecodingRejectsBrokenUTF8() {
        #expect(code(##"$decodeUrlComponent("%C0%80")"##) == "D3140")
        #expect(code(##"$decodeUrl("%E2%9C")"##) == "D3140")
    }

    @Test func decodeUrlKeepsReservedCharactersEncoded() throws {
        #expect(try eval(##"$decodeUrl("a%2Fb%20c")"##) == "a%2Fb c")
    }

    // MARK: Regular expressions

    @Test func replaceSubstitutesNumberedGroups() throws {
        #expect(try eval(##"$replace("SKU-123-A", /(\w+)-(\d+)-(\w)/, "$3$2/$1")"##) == "A123/SKU")
    }

    @Test func replaceCallsAFunctionWithTheMatch() throws {
        #expect(try eval(##"$replace("a1b22", /\d+/, function($m) { "<" & $m.match & "@" & $m.start & ">" })"##) == "a<1@1>b<22@3>")
    }

    @Test func splitOnARegexStopsAtTheLimit() throws {
        #expect(try eval(##"$split("10;20,30;40", /[;,]/, 3)"##) == ["10", "20", "30"])
    }

    @Test func aRegexThatKeepsMatchingNothingIsAnError() {
        #expect(code(##"$split("abc", /x*/)"##) == "D1004")
    }

    @Test func matchReportsUTF16Offsets() throws {
        #expect(try eval(##"$match("😀ab", /b/).index"##) == 3)
    }

    // MARK: Numbers

    @Test func roundUsesBankersRoundingOnTheDecimalValue() throws {
        #expect(try eval("[$round(2.5), $round(3.5), $round(4.525, 2), $round(1250, -2)]") == [2, 4, 4.52, 1200])
    }

    @Test func formatNumberWritesMoneyWithGrouping() throws {
        #expect(try eval(##"$formatNumber(1234567.891, "#,##0.00")"##) == "1,234,567.89")
    }

    @Test func formatNumberTakesEuropeanSeparatorsFromOptions() throws {
        let text = try eval(##"$formatNumber(1234.5, "#.##0,00", {"decimal-separator": ",", "grouping-separator": "."})"##)
        #expect(text == "1.234,50")
    }

    @Test func formatNumberUsesTheNegativeSubPicture() throws {
        #expect(try eval(##"$formatNumber(-42.5, "#,##0.00;(#,##0.00)")"##) == "(42.50)")
    }

    @Test func formatNumberAllowsAPrefixBeforeAnExponentPicture() throws {
        // jsonata-js measures the exponent from the wrong origin here and raises D3093.
        #expect(try eval(##"$formatNumber(42, "$0e0")"##) == "$4e1")
    }

    @Test func formatNumberReportsTheLastBrokenPictureRule() {
        #expect(code(##"$formatNumber(1, "#0.0e0%")"##) == "D3092")
    }

    @Test func formatBaseWritesLargeNumbersLikeJavaScript() throws {
        #expect(try eval("$formatBase(1e20, 36)") == "l3r41ifs0p800")
    }

    @Test func numberReadsPrefixedIntegerLiterals() throws {
        #expect(try eval(##"[$number("0x1F"), $number("0o17"), $number("0b101")]"##) == [31, 15, 5])
    }

    @Test func numberRejectsTextThatIsNotANumber() {
        #expect(code(##"$number("12 boxes")"##) == "D3030")
        #expect(code(##"$number(" 12")"##) == "D3030")
        #expect(code(##"$number("1e400")"##) == "D3030", "not finite")
    }

    @Test func numberReadsDecimalTextToTheSameBitsAsDoubleFromString() throws {
        // Decimal text is read in place by the JSON number reader; leading zeros, which JSON
        // refuses, take `Double(String)`.
        let texts = ["3947.15", "12.50", "-0.5", "0.1", "9007199254740993", "1.5e-7", "1E+2", "007", "00.5", "-0"]
        for text in texts {
            let value = try #require(try eval(##"$number("\##(text)")"##)?.doubleValue, "\(text)")
            #expect(value.bitPattern == Double(text)!.bitPattern || (value == 0 && Double(text)! == 0), "\(text)")
        }
    }

    @Test func formatIntegerWritesWordsAndOrdinals() throws {
        #expect(try eval(##"[$formatInteger(21, "w;o"), $formatInteger(1999, "I"), $formatInteger(28, "A")]"##) == ["twenty-first", "MCMXCIX", "AB"])
    }

    @Test func formatIntegerLeavesOutSeparatorsLeftOfTheNumber() throws {
        // jsonata-js would write ",:12" here.
        #expect(try eval(##"$formatInteger(12, "#:###,##0")"##) == "12")
    }

    @Test func parseIntegerStripsTheGroupingSeparatorOfThePicture() throws {
        // jsonata-js strips only commas for a regular grouping and would answer 1.
        #expect(try eval(##"$parseInteger("1.234.567", "#.##0")"##) == 1_234_567)
    }

    // MARK: Arrays and objects

    @Test func sortKeepsEqualItemsInTheirOrder() throws {
        let input: JSONValue = ["lines": [["sku": "A", "q": 2], ["sku": "B", "q": 1], ["sku": "C", "q": 2]]]
        #expect(try eval("$sort(lines, function($a, $b) { $a.q > $b.q }).sku", input) == ["B", "A", "C"])
    }

    @Test func sortOrdersStringsByUTF16CodeUnits() throws {
        #expect(try eval(##"$sort(["b", "B", "a", "ä"])"##) == ["B", "a", "b", "ä"])
    }

    @Test func distinctComparesStructuresDeeply() throws {
        #expect(try eval(##"$distinct([{"a": 1}, {"a": 1}, [1, 2], [1, 2], 1, "1"])"##) == [["a": 1], [1, 2], 1, "1"])
    }

    @Test func appendDoesNotChangeItsInput() throws {
        #expect(try eval(##"($x := [1]; $y := $append($x, 2); {"x": $x, "y": $y})"##) == ["x": [1], "y": [1, 2]])
    }

    @Test func keysOfAnArrayAreTheUnionOfItsObjectsKeys() throws {
        #expect(try eval(##"$keys([{"a": 1}, {"b": 1, "a": 2}])"##) == ["a", "b"])
    }

    @Test func siftReturnsNothingWhenNoFieldPasses() throws {
        #expect(try eval(##"$sift({"a": 0}, function($v) { $v > 0 })"##) == nil)
    }

    // MARK: Dates and times

    @Test func fromMillisWritesISO8601ByDefault() throws {
        #expect(try eval("$fromMillis(1521801216617)") == "2018-03-23T10:33:36.617Z")
    }

    @Test func fromMillisShiftsToANegativeHalfHourZone() throws {
        // jsonata-js computes "-0330" as -04:30.
        #expect(try eval(##"$fromMillis(1521801216617, (), "-0330")"##) == "2018-03-23T07:03:36.617-03:30")
    }

    @Test func fromMillisFormatsNamesOrdinalsAndTwelveHourClocks() throws {
        let text = try eval(##"$fromMillis(1521801216617, "[FNn,3-3] [D1o] [MNn] [Y] [h]:[m01] [PN]")"##)
        #expect(text == "Fri 23rd March 2018 10:33 AM")
    }

    @Test func fromMillisNamesTheISOWeek() throws {
        #expect(try eval(##"$fromMillis(1104537600000, "[X0001]-W[W01]-[F1]")"##) == "2004-W53-6")
    }

    @Test func toMillisReadsISO8601WithAnOffset() throws {
        #expect(try eval(##"$toMillis("2018-03-23T11:33:36.617+01:00")"##) == 1_521_801_216_617)
    }

    @Test func toMillisRejectsTextThatIsNotISO8601() {
        #expect(code(##"$toMillis("23/03/2018")"##) == "D3110")
    }

    @Test func toMillisParsesAPicture() throws {
        #expect(try eval(##"$toMillis("23/03/2018 10:33", "[D01]/[M01]/[Y0001] [H01]:[m01]")"##) == 1_521_801_180_000)
    }

    @Test func toMillisAppliesANegativeHalfHourZone() throws {
        // jsonata-js reads "-05:30" as -04:30.
        let millis = try eval(##"$toMillis("2018-03-27T10:00:00-05:30", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]")"##)
        #expect(millis == 1_522_164_600_000)
    }

    @Test func toMillisReportsAGapInThePicture() {
        #expect(code(##"$toMillis("2018-22", "[Y]-[D]")"##) == "D3136")
    }

    @Test func nowIsOneInstantForTheWholeEvaluation() throws {
        #expect(try eval("[1..200].$millis() ~> $distinct() ~> $count()") == 1)
    }
}
