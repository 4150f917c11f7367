import Warehouse
import XCTest

/// Check digits against keys printed in GS1's own material (GS1 General Specifications §7.9 and
/// the GS1 check digit calculator's examples): GTIN-13 4006381333931 (a widely printed EAN),
/// GTIN-12 036000291452 (the UPC-A example on Wikipedia's UPC page, from GS1 US), SSCC
/// 106141411234567897 (GS1 General Specifications' SSCC example, company prefix 0614141).
final class GS1CheckDigitTests: XCTestCase {
    func testPublishedKeysAreValid() {
        XCTAssertTrue(GS1CheckDigit.isValid("4006381333931"))
        XCTAssertTrue(GS1CheckDigit.isValid("036000291452"))
        XCTAssertTrue(GS1CheckDigit.isValid("106141411234567897"))
        XCTAssertNil(GS1KeyProblem.gtin("04006381333931"))
        XCTAssertNil(GS1KeyProblem.sscc("106141411234567897"))
    }

    func testAWrongDigitIsNamed() {
        XCTAssertFalse(GS1CheckDigit.isValid("4006381333932"))
        XCTAssertEqual(GS1KeyProblem.gtin("4006381333932"), "check digit 2 is wrong: expected 1")
        XCTAssertEqual(GS1KeyProblem.gtin("400638133393"), "check digit 3 is wrong: expected 0")
        XCTAssertEqual(GS1KeyProblem.gtin("40063813339"), "a GTIN has 8, 12, 13 or 14 digits, got 11")
        XCTAssertEqual(GS1KeyProblem.sscc("10614141123456789X"), "an SSCC has only digits")
    }

    func testGeneratedSSCCs() {
        let generator = SSCCGenerator(extensionDigit: 1, companyPrefix: "0614141")
        XCTAssertEqual(generator.sscc(serial: 123456789), "106141411234567897")
        for serial in [0, 1, 99, 123_456_789] as [UInt64] {
            XCTAssertNil(GS1KeyProblem.sscc(SSCCGenerator(companyPrefix: "0614141").sscc(serial: serial)))
        }
    }
}
