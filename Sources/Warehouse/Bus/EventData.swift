import JSON
import OrderedCollections

extension JSONValue {
    /// An object of the pairs in order, leaving out the nil ones (optional fields of an event).
    static func event(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        for (k, v) in pairs { if let v { o[k] = v } }
        return .object(o)
    }

    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }
    static func int64(_ n: Int64) -> JSONValue { .number(Double(n)) }
    static func optional(_ s: String?) -> JSONValue? { s.map { .string($0) } }
}

extension StockPlace {
    /// The place's members for an event body.
    func merged(into pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        for (k, v) in pairs { if let v { o[k] = v } }
        o["location"] = .string(location)
        if let lot { o["lot"] = .string(lot) }
        return .object(o)
    }
}
