import EventStore
import JSON
import X12

/// What the log says about a received interchange's control numbers.
public struct X12ReceiptCheck: Sendable, Hashable {
    /// A repeated ISA13 (TA1 note 025) or GS06 (AK9 code 19) of this partner, with positions.
    public var duplicates: [X12Error]
    /// Set when ISA13 is not the last received + 1: (expected, received).
    public var outOfSequence: (expected: Int, received: Int)?
    /// The cursor update to commit with the stored interchange, so that the next check sees it.
    public var update: CursorUpdate

    public static func == (a: Self, b: Self) -> Bool {
        a.duplicates == b.duplicates && a.outOfSequence?.expected == b.outOfSequence?.expected
            && a.outOfSequence?.received == b.outOfSequence?.received && a.update == b.update
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(duplicates) }
}

extension X12ControlNumberLedger {
    /// Checks `interchange` from `partner` against what the log holds of that partner's earlier
    /// interchanges (see the type's documentation). Commit `update` in the transaction that
    /// stores the interchange; a concurrent receipt from the same partner then conflicts, and
    /// checking again sees the other one.
    public func check(_ interchange: X12Interchange, from partner: String) async throws -> X12ReceiptCheck {
        try await check([interchange], from: partner)
    }

    /// As `check(_:from:)` for every interchange of one file, in order (a later one repeating an
    /// earlier one of the same file is a duplicate too); `outOfSequence` is the first gap.
    public func check(_ interchanges: [X12Interchange], from partner: String) async throws -> X12ReceiptCheck {
        let name = Self.inboundCursor(partner)
        let stored = try await store.loadCursor(name)
        var last: Int?
        var seen: [String] = [], groups: [String] = []
        if let stored, let value = try? JSONValue(parsing: stored.value) {
            last = value["last"]?.intValue
            seen = value["interchanges"]?.arrayValue?.compactMap(\.stringValue) ?? []
            groups = value["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        var duplicates: [X12Error] = []
        var outOfSequence: (Int, Int)?
        for interchange in interchanges {
            let isa13 = Self.normalized(interchange.header.string(13))
            let repeated = seen.contains(isa13)
            if repeated {
                duplicates.append(X12Error(.interchange(.duplicateControlNumber), at: interchange.position.at(element: 13),
                                           "ISA13 \(interchange.header.string(13)) was already received from \(partner)"))
            }
            var seenHere: Set<String> = []
            for (g, group) in interchange.groups.enumerated() {
                let gs06 = Self.normalized(group.controlNumber)
                if groups.contains(gs06) || !seenHere.insert(gs06).inserted {
                    var at = interchange.position
                    at.group = g + 1
                    at.segmentID = .GS
                    duplicates.append(X12Error(.group(.controlNumberNotUnique), at: at.at(element: 6),
                                               "GS06 \(group.controlNumber) was already received from \(partner)"))
                }
            }
            if outOfSequence == nil, let last, let received = Int(isa13), received != Self.wrapped(last + 1), !repeated {
                outOfSequence = (Self.wrapped(last + 1), received)
            }
            if let n = Int(isa13) { last = n }
            seen = Array((seen + [isa13]).suffix(Self.window))
            groups = Array((groups + interchange.groups.map { Self.normalized($0.controlNumber) }).suffix(Self.window))
        }
        let next: JSONValue = [
            "last": last.map { .number(Double($0)) } ?? .null,
            "interchanges": .array(seen.map(JSONValue.string)),
            "groups": .array(groups.map(JSONValue.string)),
        ]
        return X12ReceiptCheck(duplicates: duplicates, outOfSequence: outOfSequence,
                               update: CursorUpdate(name: name, value: next.serialized(), expected: stored.map { .value($0.value) } ?? .absent))
    }

    /// Control numbers compare as numbers when they are digits ("000000101" = "101").
    static func normalized(_ text: String) -> String {
        if let n = Int(text) { return String(n) }
        return text
    }
}
