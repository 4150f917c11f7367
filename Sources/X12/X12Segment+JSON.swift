import JSON
import OrderedCollections

extension X12Segment {
    /// The segment as the mapping language reads it: `{"segment": "W05", "W0501": "N", …}`.
    /// Elements are keyed by reference designator (segment id + two-digit position); unused
    /// (empty) elements are left out, as X12 leaves them out; a composite is an array of its
    /// components (strings, empty ones as ""); a repeated element is an array of repetitions,
    /// each an array of components even when it has one, so that a repetition can never be
    /// mistaken for a composite.
    public var jsonValue: JSONValue {
        var object = OrderedDictionary<String, JSONValue>(minimumCapacity: elementCount + 1)
        object["segment"] = .string(id.description)
        appendElements(to: &object)
        return .object(object)
    }

    /// The two-digit position suffixes of reference designators ("01" … "99").
    private static let positions: [String] = (0...99).map { $0 < 10 ? "0\($0)" : "\($0)" }

    /// Appends the used elements keyed by reference designator (see ``jsonValue``).
    func appendElements(to object: inout OrderedDictionary<String, JSONValue>) {
        let prefix = id.description
        let splits = splitsElements
        for n in stride(from: 1, through: elementCount, by: 1) {
            let raw = rawElement(n)
            guard !raw.isEmpty else { continue }
            let key = prefix + (n < Self.positions.count ? Self.positions[n] : String(n))
            // Most elements are plain text: no split, no arrays.
            if !splits || !raw.contains(where: { $0 == delimiters.component || $0 == delimiters.repetition }) {
                object[key] = .string(String(decoding: raw, as: UTF8.self))
                continue
            }
            let value = value(n)
            guard !value.isEmpty else { continue }
            switch value {
            case .simple(let s): object[key] = .string(s)
            case .composite(let c): object[key] = .array(c.map(JSONValue.string))
            case .repeated(let r): object[key] = .array(r.map { .array($0.map(JSONValue.string)) })
            }
        }
    }
}

extension X12TransactionSet {
    /// The set as `{"transactionSet": "940", "controlNumber": "0001", "segments": [...]}`: a
    /// flat, order-preserving array of segment objects (ST and SE included). Loops are not
    /// formed yet: they come with the transaction-set definitions.
    public var jsonValue: JSONValue {
        .object([
            "transactionSet": .string(identifier),
            "controlNumber": .string(controlNumber),
            "segments": .array(segments.map(\.jsonValue)),
        ])
    }
}

extension X12FunctionalGroup {
    /// `{"GS": {...}, "transactionSets": [...], "GE": {...}}` (GE null when missing).
    public var jsonValue: JSONValue {
        .object([
            "GS": header.jsonValue,
            "transactionSets": .array(transactionSets.map(\.jsonValue)),
            "GE": trailer?.jsonValue ?? .null,
        ])
    }
}

extension X12Interchange {
    /// `{"ISA": {...}, "serviceSegments": [...], "groups": [...], "IEA": {...}}`. ISA elements
    /// are strings as written (fixed-width padding kept).
    public var jsonValue: JSONValue {
        .object([
            "ISA": headerSegment.jsonValue,
            "serviceSegments": .array(serviceSegments.map(\.jsonValue)),
            "groups": .array(groups.map(\.jsonValue)),
            "IEA": trailer?.jsonValue ?? .null,
        ])
    }
}
