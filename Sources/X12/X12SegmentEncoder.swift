/// Writes element values with a given set of delimiters, refusing text that contains one of
/// them: X12 has no escape mechanism, so such a value cannot be sent at all.
enum X12SegmentEncoder {
    static func append(_ value: X12ElementValue, of id: X12SegmentID, element: Int,
                       delimiters: X12Delimiters, into out: inout [UInt8]) throws(X12Error) {
        switch value {
        case .simple(let s):
            try appendText(s, id: id, element: element, repetition: nil, component: nil, delimiters, &out)
        case .composite(let comps):
            try appendComponents(comps, id: id, element: element, repetition: nil, delimiters, &out)
        case .repeated(let reps):
            guard let r = delimiters.repetition else {
                throw X12Error(.element(.tooManyRepetitions), at: position(id, element, nil, nil),
                               "a repeated element needs a repetition separator (ISA11, from version 00402)")
            }
            for (k, comps) in reps.enumerated() {
                if k > 0 { out.append(r) }
                try appendComponents(comps, id: id, element: element, repetition: k + 1, delimiters, &out)
            }
        }
    }

    private static func appendComponents(_ comps: [String], id: X12SegmentID, element: Int, repetition: Int?,
                                         _ d: X12Delimiters, _ out: inout [UInt8]) throws(X12Error) {
        for (k, c) in comps.enumerated() {
            if k > 0 { out.append(d.component) }
            try appendText(c, id: id, element: element, repetition: repetition, component: comps.count > 1 ? k + 1 : nil, d, &out)
        }
    }

    private static func appendText(_ s: String, id: X12SegmentID, element: Int, repetition: Int?, component: Int?,
                                   _ d: X12Delimiters, _ out: inout [UInt8]) throws(X12Error) {
        for b in s.utf8 {
            if b == d.element || b == d.component || b == d.segment || b == d.repetition {
                throw X12Error(.element(.invalidCharacter), at: position(id, element, repetition, component),
                               "the value contains \(hex(b)), a delimiter of the target interchange; X12 cannot escape it")
            }
            out.append(b)
        }
    }

    static func position(_ id: X12SegmentID, _ element: Int, _ repetition: Int?, _ component: Int?) -> X12Position {
        X12Position(byteOffset: 0, interchange: 0, segmentInInterchange: 0, segmentID: id,
                    element: element, repetition: repetition, component: component)
    }
}
