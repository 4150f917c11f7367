/// Writes a reply interchange (TA1, 997s, 999s) to a received one: its delimiters, its version,
/// sender and receiver swapped, our control numbers.
struct X12AcknowledgmentWriter {
    let received: X12Interchange
    let envelope: X12Acknowledger.Envelope
    let requestedLineEnding: X12Serializer.LineEnding

    init(received: X12Interchange, envelope: X12Acknowledger.Envelope, lineEnding: X12Serializer.LineEnding) {
        self.received = received
        self.envelope = envelope
        self.requestedLineEnding = lineEnding
    }

    /// No line break after a terminator that is itself one (a partner that ends segments with LF).
    private var lineEnding: X12Serializer.LineEnding {
        delimiters.segment == 0x0A || delimiters.segment == 0x0D ? .none : requestedLineEnding
    }

    private var delimiters: X12Delimiters { received.delimiters }

    func write(ta1: X12InterchangeVerdict?, groups: [X12GroupVerdict]) -> [UInt8] {
        var out = isa()
        var segments: [X12Segment] = []
        if let ta1 {
            segments.append(segment("TA1", [ta1.controlNumber, ta1.date, ta1.time, ta1.code.rawValue, (ta1.note ?? .noError).rawValue]))
        }
        for (k, group) in groups.enumerated() {
            let receivedGroup = k < received.groups.count ? received.groups[k] : nil
            let number = String(envelope.groupControlNumber + k)
            let version = group.version ?? "004010"
            segments.append(segment("GS", ["FA", receivedGroup?.header[3] ?? "", receivedGroup?.header[2] ?? "", envelope.date,
                                           envelope.time, number, "X", group.version.map { _ in "005010X231A1" } ?? version]))
            let body = acknowledgment(group)
            segments += body
            segments.append(segment("GE", ["1", number]))
        }
        segments.append(segment("IEA", [String(groups.count), X12OutboundEnvelope.padded(String(envelope.interchangeControlNumber), 9, "0", leading: true)]))
        // Every segment was built in these delimiters, so writing copies its bytes and cannot fail.
        for s in segments {
            out += s.bytes
            out.append(delimiters.segment)
            out += lineEnding.bytes
        }
        return out
    }

    /// ST … SE of one 997 (AK3/AK4) or 999 (IK3/IK4/IK5).
    private func acknowledgment(_ group: X12GroupVerdict) -> [X12Segment] {
        let is999 = group.version != nil
        var body: [X12Segment] = [segment("ST", [is999 ? "999" : "997", "0001"] + (is999 ? ["005010X231A1"] : []))]
        body.append(segment("AK1", [group.functionalIdentifier, group.controlNumber] + (group.version.map { [$0] } ?? [])))
        for set in group.sets {
            body.append(segment("AK2", [set.identifier, set.controlNumber]))
            for note in set.segments {
                body.append(segment(is999 ? "IK3" : "AK3", [note.segmentID, String(note.position), "", note.code]))
                for element in note.elements {
                    var position = [String(element.element)]
                    if element.component != nil || (is999 && element.repetition != nil) { position.append(element.component.map(String.init) ?? "") }
                    if is999, let r = element.repetition { position.append(String(r)) }
                    // 004010's AK403 list ends at 10: "too many repetitions" (12) and "too many
                    // components" (13), new in 005010, are written as 3, too many data elements.
                    let code = !is999 && (element.code == "12" || element.code == "13") ? "3" : element.code
                    body.append(segment(is999 ? "IK4" : "AK4", [.composite(position), .simple(element.reference ?? ""), .simple(code)]))
                }
            }
            body.append(segment(is999 ? "IK5" : "AK5", [set.code.rawValue] + set.errorCodes))
        }
        body.append(segment("AK9", [group.code.rawValue, String(group.includedSets), String(group.receivedSets), String(group.acceptedSets)] + group.errorCodes))
        body.append(segment("SE", [String(body.count + 1), "0001"]))
        return body
    }

    /// The reply's ISA: fixed widths, the received ISA11/ISA12/ISA15/ISA16, ISA14 0 (an
    /// acknowledgment is not acknowledged).
    private func isa() -> [UInt8] {
        let h = received.header
        func id(_ n: Int) -> String { X12OutboundEnvelope.padded(String(h.string(n).reversed().drop { $0 == " " }.reversed()), 15, " ", leading: false) }
        let qualifier = { (n: Int) in X12OutboundEnvelope.padded(h.string(n), 2, " ", leading: false) }
        let fields = [
            "00", String(repeating: " ", count: 10), "00", String(repeating: " ", count: 10),
            qualifier(7), id(8), qualifier(5), id(6),
            String(envelope.date.suffix(6)), envelope.time,
            h.string(11), h.string(12), X12OutboundEnvelope.padded(String(envelope.interchangeControlNumber), 9, "0", leading: true),
            "0", h.string(15), h.string(16),
        ]
        return X12OutboundEnvelope.isaSegment(fields, delimiters: delimiters, lineEnding: lineEnding)
    }

    private func segment(_ id: String, _ values: [String]) -> X12Segment {
        segment(id, values.map(X12ElementValue.simple))
    }

    private func segment(_ id: String, _ values: [X12ElementValue]) -> X12Segment {
        // Our ids are valid and the values come from the received envelope (parsed with these
        // delimiters, so free of them) or are digits and codes of ours: this cannot fail.
        guard let sid = X12SegmentID(string: id), let s = try? X12Segment(id: sid, elements: values, delimiters: delimiters) else {
            preconditionFailure("cannot write \(id) \(values) in the received delimiters")
        }
        return s
    }
}
