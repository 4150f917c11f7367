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
        var object = OrderedDictionary<String, JSONValue>()
        object["segment"] = .string(id.description)
        let prefix = id.description
        for n in stride(from: 1, through: elementCount, by: 1) {
            let value = value(n)
            guard !value.isEmpty else { continue }
            let key = prefix + (n < 10 ? "0\(n)" : "\(n)")
            switch value {
            case .simple(let s): object[key] = .string(s)
            case .composite(let c): object[key] = .array(c.map(JSONValue.string))
            case .repeated(let r): object[key] = .array(r.map { .array($0.map(JSONValue.string)) })
            }
        }
        return .object(object)
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
