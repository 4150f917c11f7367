/// The envelope of an interchange we send to a partner: who it is from and to, its version and
/// delimiters. The control numbers and the stamp are given when it is written, because they are
/// handed out only in the transaction that stores the interchange (`X12ControlNumberLedger`).
///
/// One interchange carries one functional group of the given sets (the way warehouse partners
/// expect a 945 or an 856: one file per shipment).
public struct X12OutboundEnvelope: Sendable, Hashable {
    /// ISA05/ISA06: our qualifier and id; ISA07/ISA08: the partner's.
    public var senderQualifier: String
    public var senderId: String
    public var receiverQualifier: String
    public var receiverId: String
    /// GS02/GS03 application codes (the interchange ids when the partner names none).
    public var senderApplication: String
    public var receiverApplication: String
    /// ISA15: `P` production, `T` test.
    public var usage: String
    /// ISA14: whether we ask the partner for a TA1.
    public var requestTA1: Bool
    public var delimiters: X12Delimiters

    public init(senderQualifier: String, senderId: String, receiverQualifier: String, receiverId: String,
                senderApplication: String? = nil, receiverApplication: String? = nil, usage: String = "P", requestTA1: Bool = false,
                delimiters: X12Delimiters = .common) {
        self.senderQualifier = senderQualifier
        self.senderId = senderId
        self.receiverQualifier = receiverQualifier
        self.receiverId = receiverId
        self.senderApplication = senderApplication ?? senderId
        self.receiverApplication = receiverApplication ?? receiverId
        self.usage = usage
        self.requestTA1 = requestTA1
        self.delimiters = delimiters
    }

    /// ISA … IEA around one group (GS01 `functionalIdentifier`, GS08 `version`, e.g. "004010")
    /// of `sets`, which must have been written in this envelope's delimiters. `date` is
    /// CCYYMMDD and `time` HHMM (GS04/GS05; ISA09 takes the date's last six digits).
    public func write(
        _ sets: [X12TransactionSet], functionalIdentifier: String, version: String,
        interchangeControlNumber: Int, groupControlNumber: Int, date: String, time: String,
        lineEnding: X12Serializer.LineEnding = .none
    ) -> [UInt8] {
        let d = delimiters
        let isa13 = Self.padded(String(interchangeControlNumber), 9, "0", leading: true)
        // ISA11 is the repetition separator from 00402 on; before, the standards id "U".
        let isa12 = String(version.prefix(5))
        let usesRepetition = (Int(isa12) ?? 0) >= 402
        let isa11 = usesRepetition ? String(decoding: [d.repetition ?? 0x5E], as: UTF8.self) : "U"
        let isa = [
            "00", String(repeating: " ", count: 10), "00", String(repeating: " ", count: 10),
            Self.padded(senderQualifier, 2, " ", leading: false), Self.padded(senderId, 15, " ", leading: false),
            Self.padded(receiverQualifier, 2, " ", leading: false), Self.padded(receiverId, 15, " ", leading: false),
            String(date.suffix(6)), time, isa11, isa12, isa13, requestTA1 ? "1" : "0", usage,
            String(decoding: [d.component], as: UTF8.self),
        ]
        var out = Self.isaSegment(isa, delimiters: d, lineEnding: lineEnding)
        func segment(_ fields: [String]) {
            out += Array(fields.joined(separator: String(decoding: [d.element], as: UTF8.self)).utf8)
            out.append(d.segment)
            out += lineEnding.bytes
        }
        let gs06 = String(groupControlNumber)
        segment(["GS", functionalIdentifier, senderApplication, receiverApplication, date, time, gs06, "X", version])
        for set in sets {
            for s in set.segments {
                out += s.bytes
                out.append(d.segment)
                out += lineEnding.bytes
            }
        }
        segment(["GE", String(sets.count), gs06])
        segment(["IEA", "1", isa13])
        return out
    }

    /// ISA01 … ISA16 (already in their fixed widths) as one segment with its terminator.
    static func isaSegment(_ fields: [String], delimiters: X12Delimiters, lineEnding: X12Serializer.LineEnding) -> [UInt8] {
        var out = Array("ISA".utf8)
        for field in fields {
            out.append(delimiters.element)
            out += Array(field.utf8)
        }
        out.append(delimiters.segment)
        out += lineEnding.bytes
        return out
    }

    static func padded(_ s: String, _ width: Int, _ pad: Character, leading: Bool) -> String {
        guard s.count < width else { return String(s.prefix(width)) }
        let fill = String(repeating: pad, count: width - s.count)
        return leading ? fill + s : s + fill
    }
}
