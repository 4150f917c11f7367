import Testing
@testable import X12

@Suite("Transaction sets against their definitions")
struct DefinitionValidationTests {
    typealias S = DefinitionSamples

    func errors(_ id: String, _ gs01: String, _ body: [String], gs08: String = "004010") -> [X12Error] {
        X12DefinitionValidator.validate(S.set(id, gs01: gs01, gs08: gs08, body), gs08: gs08).errors
    }

    /// The 940 sample with segment `index` (0-based in the body) replaced.
    func body940(_ changes: [Int: String]) -> [String] {
        var b = S.body940
        for (k, v) in changes { b[k] = v }
        return b
    }

    @Test("our own well-formed sets validate clean: 940, 945, 943, 944 (WINS), 856, 850, 855 (VICS), 846, 997 (004010)",
          arguments: [("940", "OW", S.body940), ("945", "SW", S.body945), ("856", "SH", S.body856), ("850", "PO", S.body850),
                      ("846", "IB", S.body846), ("997", "FA", S.body997), ("855", "PR", S.body855), ("943", "AR", S.body943),
                      ("944", "RE", S.body944)])
    func wellFormed(_ id: String, _ gs01: String, _ body: [String]) {
        let v = X12DefinitionValidator.validate(S.set(id, gs01: gs01, body), gs08: "004010VICS")
        #expect(v.hasDefinition && v.lookup.note == nil)
        #expect(v.errors.isEmpty, "\(v.errors)")
    }

    @Test("a 999 of the 005010X231A1 guide and the 940 in 005010 validate clean")
    func wellFormed005010() {
        let sample = SampleInterchange(isa11: "^", version: "00501")
        let v999 = X12DefinitionValidator.validate(S.set("999", gs01: "FA", gs08: "005010X231A1", S.body999, sample: sample), gs08: "005010X231A1")
        #expect(v999.lookup.definition?.version == "005010")
        #expect(v999.errors.isEmpty, "\(v999.errors)")
        let v940 = X12DefinitionValidator.validate(S.set("940", gs01: "OW", gs08: "005010", S.body940, sample: sample), gs08: "005010")
        #expect(v940.errors.isEmpty, "\(v940.errors)")
    }

    @Test("a set or version without a definition is no error, and says so")
    func noDefinition() {
        let v = X12DefinitionValidator.validate(S.set("810", gs01: "IN", ["BIG*20240101*INV-1"]), gs08: "004010")
        #expect(!v.hasDefinition && v.errors.isEmpty)
        #expect(v.lookup.note == "no definition for transaction set 810 in 004010")
        let old = X12DefinitionValidator.validate(S.set("940", gs01: "OW", gs08: "003040", S.body940), gs08: "003040")
        #expect(!old.hasDefinition && old.lookup.note?.contains("003040") == true)
        let near = X12Definitions.lookup("940", gs08: "004030VICS")
        #expect(near.definition?.version == "004010" && near.note == "version 004030 is read with the 004010 definitions")
    }

    // MARK: AK3 segment codes

    func single(_ errors: [X12Error], _ code: X12ErrorCode, segment: Int, id: String, element: Int? = nil,
                component: Int? = nil, rule: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
        guard let e = errors.first else { return }
        #expect(e.code == code, sourceLocation: sourceLocation)
        #expect(e.position.segmentInSet == segment, sourceLocation: sourceLocation)
        #expect(e.position.segmentID?.description == id, sourceLocation: sourceLocation)
        #expect(e.position.element == element, sourceLocation: sourceLocation)
        #expect(e.position.component == component, sourceLocation: sourceLocation)
        #expect(e.rule.contains(rule), "\(e.rule)", sourceLocation: sourceLocation)
    }

    @Test("AK304 1: a segment id the directory does not know")
    func unrecognized() {
        var b = S.body940
        b.insert("ZZZ*1", at: 9)
        single(errors("940", "OW", b), .segment(.unrecognizedSegmentID), segment: 11, id: "ZZZ", rule: "ZZZ is not a segment")
    }

    @Test("AK304 2: a segment of the set at a place it cannot stand (W01 in the header)")
    func unexpected() {
        var b = S.body940
        b.insert("W01*1*EA**VN*X", at: 1)
        single(errors("940", "OW", b), .segment(.unexpectedSegment), segment: 3, id: "W01", rule: "W01 is in 940 004010 but not at this place")
    }

    @Test("AK304 3: a mandatory segment missing (W66), reported where its absence shows")
    func mandatoryMissing() {
        var b = S.body940
        b.remove(at: 13)
        single(errors("940", "OW", b), .segment(.mandatorySegmentMissing), segment: 15, id: "W66",
               rule: "W66 (Warehouse Carrier Information) is mandatory in 940 004010")
    }

    @Test("AK304 3 inside a loop: a 945 W12 loop is mandatory in each LX")
    func mandatoryInLoop() {
        let b = ["W06*F*ORD-1", "W27*M", "LX*1", "LX*2", "W12*CC", "W03*1"]
        single(errors("945", "SW", b), .segment(.mandatorySegmentMissing), segment: 5, id: "W12",
               rule: "W12_loop (beginning with W12) is mandatory in each LX_loop of 945 004010")
    }

    @Test("AK304 4: a loop more often than its maximum (11 N1 loops, 10 allowed)")
    func loopOverMaximum() {
        var b = S.body940
        b.insert(contentsOf: (1...9).map { "N1*BY*BUYER \($0)" }, at: 8)
        let e = errors("940", "OW", b)
        single(e, .segment(.loopOverMaximum), segment: 18, id: "N1", rule: "N1_loop may occur at most 10 times")
    }

    @Test("AK304 5: a segment more often than its maximum use (W05 twice)")
    func segmentOverMaximum() {
        var b = S.body940
        b.insert("W05*N*ORD-2", at: 1)
        single(errors("940", "OW", b), .segment(.segmentOverMaximumUse), segment: 3, id: "W05", rule: "W05 may occur at most 1 time")
    }

    @Test("AK304 6: a segment of the directory that is not in this set (BEG in a 940)")
    func notInSet() {
        var b = S.body940
        b.insert("BEG*00*SA*PO-1**20240101", at: 1)
        single(errors("940", "OW", b), .segment(.segmentNotInSet), segment: 3, id: "BEG", rule: "BEG is not a segment of 940 004010")
    }

    @Test("AK304 7: a segment behind its place in the same level (N9 after G62)")
    func outOfSequence() {
        var b = S.body940
        b.insert("N9*ZZ*LATE", at: 12)
        single(errors("940", "OW", b), .segment(.segmentOutOfSequence), segment: 14, id: "N9", rule: "N9 is out of sequence")
    }

    // MARK: AK4 element codes

    @Test("AK403 1: a mandatory element missing")
    func mandatoryElement() {
        single(errors("940", "OW", body940([0: "W05*N**PO-1"])), .element(.mandatoryElementMissing), segment: 2, id: "W05", element: 2,
               rule: "W05 (Shipping Order Identification) W0502 is mandatory in 940 004010")
    }

    @Test("AK403 2: a conditional element missing (N1 P0304: N103 without N104)")
    func conditional() {
        single(errors("940", "OW", body940([1: "N1*SF*ACME FOODS*9"])), .element(.conditionalElementMissing), segment: 3, id: "N1", element: 4,
               rule: "N104 is required when any of N103, N104 is present (syntax note P0304)")
    }

    @Test("AK403 3: too many elements")
    func tooManyElements() {
        single(errors("940", "OW", body940([0: "W05*N*ORD-1*PO-1*****EXTRA"])), .element(.tooManyElements), segment: 2, id: "W05", element: 8,
               rule: "has 7 elements in 940 004010")
    }

    @Test("AK403 4 and 5: too short and too long")
    func lengths() {
        single(errors("856", "SH", { var b = S.body856; b[0] = "BSN*00*S*20240106*1405*0001"; return b }()), .element(.tooShort),
               segment: 2, id: "BSN", element: 2, rule: "must be at least 2 long; found 1")
        single(errors("940", "OW", body940([0: "W05*N*ORDER-NUMBER-IS-TOO-LONG"])), .element(.tooLong), segment: 2, id: "W05", element: 2,
               rule: "must be at most 22 long; found 24")
    }

    @Test("AK403 6: an invalid character (a letter in a number; a control character in text)")
    func invalidCharacter() {
        single(errors("940", "OW", body940([15: "W01*1x*CA**VN*SKU-1"])), .element(.invalidCharacter), segment: 17, id: "W01", element: 1,
               rule: "must be a decimal number")
        single(errors("940", "OW", body940([16: "G69*BARS\u{7}"])), .element(.invalidCharacter), segment: 18, id: "G69", element: 1,
               rule: "control character 0x07")
    }

    @Test("AK403 7: a code not in the list (W0501)")
    func invalidCode() {
        single(errors("940", "OW", body940([0: "W05*Z*ORD-1"])), .element(.invalidCodeValue), segment: 2, id: "W05", element: 1,
               rule: "\"Z\" is not one of the codes C, N, R")
    }

    @Test("AK403 8 and 9: an invalid date and an invalid time")
    func dateAndTime() {
        single(errors("940", "OW", body940([10: "G62*10*20240230"])), .element(.invalidDate), segment: 12, id: "G62", element: 2,
               rule: "\"20240230\" is not a valid date")
        single(errors("940", "OW", body940([11: "G62*02*20240108*Y*2460"])), .element(.invalidTime), segment: 13, id: "G62", element: 4,
               rule: "\"2460\" is not a valid time")
    }

    @Test("AK403 10: exclusion violated (QTY E0204: quantity and free-form quantity both)")
    func exclusion() {
        var b = S.body846
        b[4] = "QTY*33*120*EA*ONE HUNDRED TWENTY"
        single(errors("846", "IB", b), .element(.exclusionViolated), segment: 6, id: "QTY", element: 4, rule: "allows only one of QTY02, QTY04")
    }

    @Test("AK403 12 and 13: repetitions of an element that does not repeat; components in a simple element")
    func repetitionsAndComponents() {
        let sample = SampleInterchange(isa11: "^", version: "00501")
        var b = S.body940
        b[1] = "N1*SF*ACME^FOODS*9*0012345678901"
        let rep = X12DefinitionValidator.validate(S.set("940", gs01: "OW", gs08: "005010", b, sample: sample), gs08: "005010").errors
        single(rep, .element(.tooManyRepetitions), segment: 3, id: "N1", element: 2, rule: "N102 may occur once")
        single(errors("940", "OW", body940([1: "N1*SF*ACME:FOODS*9*0012345678901"])), .element(.tooManyComponents), segment: 3, id: "N1",
               element: 2, component: 2, rule: "is a simple element in 940 004010; it has 2 components")
    }

    @Test("a composite's mandatory component missing (997 AK401-01)")
    func compositeComponent() {
        var b = S.body997
        b[5] = "AK4*:3*396*1"
        single(errors("997", "FA", b), .element(.mandatoryElementMissing), segment: 7, id: "AK4", element: 1, component: 1,
               rule: "AK401-01 (722) is mandatory")
    }

    @Test("997 codes: AK304, AK403, AK501, AK901 are checked against the 997 code lists")
    func ackCodes() {
        var b = S.body997
        b[4] = "AK3*W05*2**9"
        b[6] = "AK5*Q*5"
        let e = errors("997", "FA", b)
        #expect(e.map(\.code) == [.element(.invalidCodeValue), .element(.invalidCodeValue)])
        #expect(e.map { $0.position.segmentID?.description } == ["AK3", "AK5"])
    }

    // MARK: 856 hierarchy

    func hl(_ changes: [Int: String]) -> [X12Error] {
        var b = S.body856
        for (k, v) in changes { b[k] = v }
        return errors("856", "SH", b)
    }

    @Test("HL02 must name an earlier HL01")
    func hlParentUnknown() {
        single(hl([12: "HL*3*7*P"]), .element(.invalidCodeValue), segment: 14, id: "HL", element: 2,
               rule: "HL02 \"7\" names no earlier HL01")
        single(hl([12: "HL*3*3*P"]), .element(.invalidCodeValue), segment: 14, id: "HL", element: 2, rule: "names this HL itself")
    }

    @Test("HL01 unique and increasing; HL03 a level code")
    func hlNumbers() {
        let dup = hl([12: "HL*2*2*P", 14: "HL*4*2*I", 18: "HL*5*2*I"])
        #expect(dup.first?.code == .element(.invalidCodeValue))
        #expect(dup.first?.position.segmentInSet == 14 && dup.first?.position.element == 1)
        #expect(dup.first?.rule.contains("HL01 \"2\" is used by an earlier HL") == true)
        single(hl([18: "HL*4*3*I"]), .element(.invalidCodeValue), segment: 20, id: "HL", element: 1, rule: "is used by an earlier HL")
        single(hl([18: "HL*9*3*I", 14: "HL*10*3*I"]).filter { $0.position.segmentInSet == 20 }, .element(.invalidCodeValue), segment: 20,
               id: "HL", element: 1, rule: "HL01 9 follows HL01 10")
        single(hl([12: "HL*3*2*X"]), .element(.invalidCodeValue), segment: 14, id: "HL", element: 3, rule: "\"X\" is not one of the codes")
    }

    @Test("X12Document.setValidations runs every set under its group's GS08")
    func documentLevel() {
        let segments = ["GS*OW*SENDER*RECEIVER*20240101*1200*7*X*004010VICS", "ST*940*0001"] + body940([0: "W05*Z*ORD-1"])
            + ["SE*\(S.body940.count + 2)*0001", "GE*1*7", "IEA*1*000000101"]
        let doc = X12Document(parsing: SampleInterchange().bytes(segments))
        #expect(doc.errors.isEmpty)
        #expect(doc.setValidations.count == 1)
        #expect(doc.allErrors.map(\.code) == [.element(.invalidCodeValue)])
        #expect(doc.allErrors.first?.position.segmentInInterchange == 4)
    }
}

@Suite("Definitions on the streaming path")
struct StreamingDefinitionTests {
    @Test("each streamed set carries its validation")
    func streamed() throws {
        var body = SampleInterchange.valid940
        body.insert("W66*PP*M", at: 4)
        body[7] = "SE*7*0001"
        let bytes = SampleInterchange().bytes(body)
        var found: [X12SetValidation] = []
        var stream = X12HandlerPair(X12EnvelopeValidator(), X12TransactionSetStream { found.append($0.validation) })
        X12StreamParser.parse(bytes, into: &stream)
        #expect(stream.first.errors.isEmpty, "\(stream.first.errors)")
        #expect(found.count == 1 && found[0].hasDefinition)
        #expect(found[0].errors.isEmpty, "\(found[0].errors)")
        // Without W66 the same set breaks one rule: W66 mandatory, reported at the LX.
        var missing: [X12SetValidation] = []
        var again = X12HandlerPair(X12EnvelopeValidator(), X12TransactionSetStream { missing.append($0.validation) })
        X12StreamParser.parse(SampleInterchange().bytes(SampleInterchange.valid940), into: &again)
        #expect(missing.first?.errors.map(\.code) == [.segment(.mandatorySegmentMissing)])
        #expect(missing.first?.errors.first?.position.segmentInSet == 4)
    }
}
