import JSON
import Testing
@testable import X12

@Suite("Loop JSON: sets in their definitions' loops, and back")
struct LoopJSONTests {
    typealias S = DefinitionSamples

    func def(_ id: String, _ version: String = "004010") throws -> X12TransactionSetDefinition {
        try #require(X12Definitions.definition(id, version: version))
    }

    @Test("940: header segments by max use (object or array), N1_loop and LX_loop as arrays of instances")
    func shape940() throws {
        let json = S.set("940", gs01: "OW", S.body940).loopJSON(gs08: "004010VICS")
        #expect(json["transactionSet"] == "940" && json["version"] == "004010" && json["controlNumber"] == "0001")
        #expect(json["ST"] == ["ST01": "940", "ST02": "0001"])
        #expect(json["W05"] == ["W0501": "N", "W0502": "ORD-1", "W0503": "PO-1"])
        #expect(json["N9"] == [["N901": "PO", "N902": "PO-1"], ["N901": "DP", "N902": "042"]])
        #expect(json["N1_loop"]?[1]?["N1"]?["N104"] == "STORE-7")
        #expect(json["N1_loop"]?[1]?["N3"] == [["N301": "200 MAIN ST", "N302": "SUITE 4"]])
        #expect(json["N1_loop"]?[1]?["N4"]?["N401"] == "DENVER")
        #expect(json["LX_loop"]?[0]?["W01"]?["W0105"] == "SKU-1")
        #expect(json["LX_loop"]?[0]?["G69"] == [["G6901": "CHOCOLATE BARS 24CT"]])
        #expect(json["LX_loop"]?[1]?["G69"] == nil)
        #expect(json["SE"] == ["SE01": "23", "SE02": "0001"])
        #expect(json["unparsed"] == nil)
        // Keys in definition order.
        #expect(json.objectValue.map { Array($0.keys) } == ["transactionSet", "version", "controlNumber", "ST", "W05", "N1_loop", "N9",
                                                            "G62", "NTE", "W66", "LX_loop", "W76", "SE"])
    }

    @Test("856: one flat HL_loop in file order, each instance with its HL and what follows it")
    func shape856() throws {
        let json = S.set("856", gs01: "SH", S.body856).loopJSON(definition: try def("856"))
        let hls = try #require(json["HL_loop"]?.arrayValue)
        #expect(hls.map { $0["HL"]?["HL03"]?.stringValue } == ["S", "O", "P", "I", "I"])
        #expect(hls[0]["N1_loop"]?[0]?["N4"]?["N403"] == "80202")
        #expect(hls[2]["MAN"] == [["MAN01": "GM", "MAN02": "00006141411234567890"]])
        #expect(hls[3]["LIN"]?["LIN03"] == "012345678905")
        #expect(json["CTT"] == ["CTT01": "5"])
    }

    @Test("850: loops nest (PO1_loop holds PID_loop), the CTT loop too")
    func shape850() throws {
        let json = S.set("850", gs01: "PO", S.body850).loopJSON(definition: try def("850"))
        #expect(json["PO1_loop"]?[0]?["PID_loop"]?[0]?["PID"]?["PID05"] == "CHOCOLATE BARS 24CT")
        #expect(json["PO1_loop"]?[1]?["PO1"]?["PO107"] == "012345678912")
        #expect(json["CTT_loop"]?[0]?["AMT"] == ["AMT01": "TT", "AMT02": "307"])
    }

    @Test("a key used twice in one level gets a suffix: the 850 header and the SAC loops are separate levels, repeats in a level are _2")
    func keySuffixes() throws {
        let s = X12DefinitionTables.structure("""
            ST M 1
            { O 2
            SAC M 1
            }
            REF O 1
            { O 2
            SAC M 1
            }
            REF O 1
            SE M 1
            """)
        #expect(s.map(\.key) == ["ST", "SAC_loop", "REF", "SAC_loop_2", "REF_2", "SE"])
    }

    @Test("segments that fit nowhere go to \"unparsed\" in order, with their id; a set without definition is all unparsed")
    func unparsed() throws {
        var b = S.body940
        b.insert("ZZZ*1", at: 9)
        b.insert("BEG*00*SA*X**20240101", at: 1)
        let json = S.set("940", gs01: "OW", b).loopJSON(definition: try def("940"))
        #expect(json["unparsed"] == [["segment": "BEG", "BEG01": "00", "BEG02": "SA", "BEG03": "X", "BEG05": "20240101"],
                                     ["segment": "ZZZ", "ZZZ01": "1"]])
        let none = S.set("810", gs01: "IN", ["BIG*20240101*INV-1", "TDS*100"]).loopJSON(gs08: "004010")
        #expect(none["version"] == "")
        #expect(none["unparsed"]?.arrayValue?.map { $0["segment"] } == ["BIG", "TDS"])
        #expect(none["SE"]?["SE01"] == "4")
    }

    // MARK: back to segments

    func encoder(_ id: String, _ version: String = "004010") throws -> X12TransactionSetEncoder {
        X12TransactionSetEncoder(definition: try def(id, version), delimiters: .common)
    }

    @Test("loop JSON → segments: definition order, ST/SE written with the given control number and SE01 counted")
    func encode940() throws {
        let json: JSONValue = [
            "W05": ["W0501": "N", "W0502": "ORD-1"],
            "N1_loop": [["N1": ["N101": "ST", "N102": "STORE"], "N3": [["N301": "1 MAIN ST"]], "N4": ["N401": "DENVER", "N402": "CO"]]],
            "W66": ["W6601": "PP", "W6602": "M"],
            "LX_loop": [["W01": ["W0101": 12, "W0102": "CA", "W0104": "VN", "W0105": "SKU-1"], "LX": ["LX01": "1"]]],
        ]
        let set = try encoder("940").encode(json, controlNumber: "0042")
        let text = set.segments.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(text == ["ST*940*0042", "W05*N*ORD-1", "N1*ST*STORE", "N3*1 MAIN ST", "N4*DENVER*CO", "W66*PP*M", "LX*1",
                         "W01*12*CA**VN*SKU-1", "SE*9*0042"])
        #expect(X12DefinitionValidator.validate(set, definition: try def("940")).isEmpty)
    }

    func rejects(_ json: JSONValue, _ id: String = "940", path: String, rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(sourceLocation: sourceLocation) {
            _ = try encoder(id).encode(json, controlNumber: "0001")
        } throws: { error in
            guard let e = error as? X12LoopJSONError else { return false }
            #expect(e.path == path, sourceLocation: sourceLocation)
            #expect(e.rule.contains(rule), "\(e.rule)", sourceLocation: sourceLocation)
            return true
        }
    }

    var minimal940: JSONValue { ["W05": ["W0501": "N", "W0502": "O"], "W66": ["W6601": "PP", "W6602": "M"], "LX_loop": [["LX": ["LX01": "1"], "W01": ["W0101": "1", "W0102": "EA"]]]] }

    func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var o) = minimal940 else { return minimal940 }
        o[key] = value
        return .object(o)
    }

    @Test("bad loop JSON is refused with the JSON path and the rule")
    func badJSON() throws {
        try rejects(with("W99", ["W9901": "x"]), path: "$.W99", rule: "\"W99\" is not a segment or loop of 940 004010")
        try rejects(with("W05", [["W0501": "N", "W0502": "O"]]), path: "$.W05", rule: "an object, not an array")
        try rejects(with("N9", ["N901": "PO"]), path: "$.N9", rule: "an array of objects, not an object")
        try rejects(with("W05", ["W0501": "N", "W0502": true]), path: "$.W05.W0502", rule: "not a boolean")
        try rejects(with("W05", ["W0501": "N", "W0599": "x"]), path: "$.W05.W0599", rule: "W05 (Shipping Order Identification) has 7 elements")
        try rejects(with("N1_loop", [["N1": ["N101": "ST"]], ["N1": ["N101": "BT"], "N3": [["N301": "1*MAIN"]]]]),
                    path: "$.N1_loop[1].N3[0].N301", rule: "a delimiter of the target interchange")
        try rejects(with("N1_loop", [["N3": [["N301": "1 MAIN"]]]]), path: "$.N1_loop[0].N1", rule: "N1 is mandatory")
        try rejects(with("N1_loop", [["N1": ["N101": "ST"], "REF_loop": []]]), path: "$.N1_loop[0].REF_loop", rule: "is not a segment or loop of N1_loop")
        guard case .object(var o) = minimal940 else { return }
        o.removeValue(forKey: "W66")
        try rejects(.object(o), path: "$.W66", rule: "W66 is mandatory in 940 004010")
        try rejects(with("transactionSet", "945"), path: "$.transactionSet", rule: "must be \"940\"")
    }

    @Test("a validator error in an encoded set points back at its JSON path")
    func pathsOfSegments() throws {
        let d = try def("940")
        var json = minimal940
        if case .object(var o) = json { o["W05"] = ["W0501": "Z", "W0502": "O"]; json = .object(o) }
        let (set, paths) = try encoder("940").encodeWithPaths(json, controlNumber: "0001")
        #expect(paths == ["$.ST", "$.W05", "$.W66", "$.LX_loop[0].LX", "$.LX_loop[0].W01", "$.SE"])
        let errors = X12DefinitionValidator.validate(set, definition: d)
        #expect(errors.map(\.code) == [.element(.invalidCodeValue)])
        #expect(errors.first.flatMap { $0.position.segmentInSet }.map { paths[$0 - 1] } == "$.W05")
        let v = X12SetValidation(lookup: X12DefinitionLookup(definition: d, requestedVersion: "004010"), errors: errors)
        #expect(v.setErrorCode == .segmentsInError)
    }

    // MARK: round trips

    @Test("our own sets: segments → loop JSON → segments, byte-identical",
          arguments: [("940", "OW", S.body940), ("945", "SW", S.body945), ("856", "SH", S.body856), ("850", "PO", S.body850),
                      ("846", "IB", S.body846), ("997", "FA", S.body997), ("855", "PR", S.body855), ("943", "AR", S.body943),
                      ("944", "RE", S.body944)])
    func ownRoundTrip(_ id: String, _ gs01: String, _ body: [String]) throws {
        let set = S.set(id, gs01: gs01, body)
        let back = try encoder(id).encode(set.loopJSON(definition: try def(id)), controlNumber: set.controlNumber)
        #expect(back.segments.map(\.bytes) == set.segments.map(\.bytes))
    }

    @Test("every set of the accepted interop files: segments → loop JSON → segments, byte-identical (with or without a definition)")
    func interopRoundTrip() throws {
        var checked = 0, withDefinition = 0
        for name in try InteropFixtures.names() {
            let doc = X12Document(parsing: try InteropFixtures.bytes(name))
            for (k, interchange) in doc.interchanges.enumerated() where doc.errors(inInterchange: k + 1).isEmpty {
                for group in interchange.groups {
                    for set in group.transactionSets {
                        let lookup = X12Definitions.lookup(set.identifier, gs08: group.header[8])
                        let json = set.loopJSON(definition: lookup.definition)
                        let back: X12TransactionSet
                        if let d = lookup.definition {
                            #expect(json["unparsed"] == nil, "\(name) \(set.identifier): \(json["unparsed"] ?? .null)")
                            back = try X12TransactionSetEncoder(definition: d, delimiters: interchange.delimiters)
                                .encode(json, controlNumber: set.controlNumber)
                            withDefinition += 1
                        } else {
                            back = try X12TransactionSetEncoder.undefined(set.identifier, delimiters: interchange.delimiters)
                                .encode(json, controlNumber: set.controlNumber)
                        }
                        #expect(back.segments.map(\.bytes) == set.segments.map(\.bytes), "\(name) \(set.identifier) \(set.controlNumber)")
                        checked += 1
                    }
                }
            }
        }
        // 34 sets in the 21 accepted interchanges; all but 01's two 810s and 003010 850 and 12's
        // two 820s have a definition.
        #expect(checked == 34 && withDefinition == 29, "checked \(checked), with a definition \(withDefinition)")
    }
}
