/// The ISA rules that do not stop parsing: fixed widths and field formats. Each broken rule is
/// one error with the TA1 note code of that field.
enum X12InterchangeHeaderRules {
    /// TA1 codes for ISA01…ISA16 when the field is malformed.
    static let codes: [TA1NoteCode] = [
        .invalidAuthorizationQualifier, .invalidAuthorizationValue, .invalidSecurityQualifier, .invalidSecurityValue,
        .invalidSenderQualifier, .invalidSenderID, .invalidReceiverQualifier, .invalidReceiverID,
        .invalidDate, .invalidTime, .invalidStandardsIdentifier, .invalidVersionID,
        .invalidControlNumber, .invalidAcknowledgmentRequested, .invalidTestIndicator, .invalidComponentSeparator,
    ]

    /// ISA02 and ISA04 hold a password and an authorization value: rules never quote them.
    static let secretElements: Set<Int> = [2, 4]

    static func check(_ header: X12InterchangeHeader, at position: X12Position) -> [X12Error] {
        var errors: [X12Error] = []
        func fail(_ n: Int, _ rule: String) {
            errors.append(X12Error(.interchange(codes[n - 1]), at: position.at(element: n), rule))
        }
        func quoted(_ n: Int) -> String {
            secretElements.contains(n) ? "(value not shown)" : "\"\(header.string(n).debugEscaped)\""
        }
        for (k, width) in X12InterchangeHeader.fixedWidths.enumerated() where header.elements[k].count != width {
            fail(k + 1, "ISA\(pad(k + 1)) has a fixed width of \(width); found \(header.elements[k].count) characters \(quoted(k + 1))")
        }
        let e = header.elements
        func digits(_ n: Int) -> Bool { !e[n - 1].isEmpty && e[n - 1].allSatisfy { $0 &- 0x30 < 10 } }
        if e[8].count == 6, !(digits(9) && validDate(e[8])) { fail(9, "ISA09 must be a date YYMMDD; found \(quoted(9))") }
        if e[9].count == 4, !(digits(10) && validTime(e[9])) { fail(10, "ISA10 must be a time HHMM; found \(quoted(10))") }
        if e[11].count == 5, !digits(12) { fail(12, "ISA12 must be a 5-digit version number; found \(quoted(12))") }
        if e[12].count == 9, !digits(13) { fail(13, "ISA13 must be 9 digits; found \(quoted(13))") }
        if e[13].count == 1, e[13][0] != 0x30, e[13][0] != 0x31 { fail(14, "ISA14 must be 0 or 1; found \(quoted(14))") }
        if e[14].count == 1, !"PTI".utf8.contains(e[14][0]) { fail(15, "ISA15 must be P, T or I; found \(quoted(15))") }
        if let v = header.version, v < 402, e[10] != [0x55] {
            fail(11, "before version 00402, ISA11 is the standards identifier and must be U; found \(quoted(11))")
        }
        return errors
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func number(_ b: ArraySlice<UInt8>) -> Int { b.reduce(0) { $0 * 10 + Int($1 &- 0x30) } }

    static func validDate(_ b: [UInt8]) -> Bool {
        let month = number(b[2..<4]), day = number(b[4..<6])
        return (1...12).contains(month) && (1...31).contains(day)
    }

    static func validTime(_ b: [UInt8]) -> Bool { number(b[0..<2]) < 24 && number(b[2..<4]) < 60 }
}

extension String {
    /// Control characters shown as escapes, so that a rule quoting a value stays on one line.
    var debugEscaped: String {
        var s = ""
        for u in unicodeScalars {
            switch u {
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F: s += "\\u{\(String(u.value, radix: 16))}"
            default: s.unicodeScalars.append(u)
            }
        }
        return s
    }
}
