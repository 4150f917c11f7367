import Foundation
import JSON

/// One line of an order and where its quantity stands. `allocated` is what stock still holds for
/// it (reserved, not yet picked); `cancelled` will not be shipped (shorted without stock, or the
/// rest of a ship-partial line); what is left is back-ordered.
public struct OrderLineState: Sendable, Equatable {
    public var line: Int
    public var sku: String
    public var quantity: Int
    public var allocated = 0
    public var picked = 0
    public var packed = 0
    public var cancelled = 0

    /// Units neither held, picked nor given up: waiting for stock.
    public var missing: Int { quantity - cancelled - picked - allocated }
}

/// An order's lifecycle as one word, for people and read models.
public enum OrderStatus: String, Sendable, Equatable, CaseIterable {
    case created, backordered, allocated, waved, picking, picked, packed, shipped, delivered, cancelled

    public var isTerminal: Bool { self == .shipped || self == .delivered || self == .cancelled }
}

/// An order (`order-<id>`, topic `order-events`).
public struct OrderState: AggregateState {
    public static let category = "order"
    public static let created = "OrderCreated"
    public static let allocated = "OrderAllocated"
    public static let backordered = "OrderBackordered"
    public static let lineCancelled = "OrderLineCancelled"
    public static let waved = "OrderWaved"
    public static let released = "OrderReleased"
    public static let linePicked = "OrderLinePicked"
    public static let lineShorted = "OrderLineShorted"
    public static let cartonPacked = "OrderCartonPacked"
    public static let cartonShipped = "OrderCartonShipped"
    public static let cartonDelivered = "OrderCartonDelivered"
    public static let shipped = "OrderShipped"
    public static let delivered = "OrderDelivered"
    public static let cancelled = "OrderCancelled"

    public var exists = false
    public var orderId = ""
    public var channel = ""
    public var externalReference = ""
    public var serviceLevel = ""
    public var cutoff: Int64?
    public var priority = 0
    public var backOrderPolicy = BackOrderPolicy.backOrder
    public var shipTo: JSONValue = .null
    public var createdAt: Int64 = 0
    public var lines: [OrderLineState] = []
    public var waveId: String?
    public var waveReleased = false
    public var tasks: [String] = []
    /// Carton id → shipped / delivered, in packing order.
    public var cartons: [String] = []
    public var shippedCartons: Set<String> = []
    public var deliveredCartons: Set<String> = []
    public var isCancelled = false
    public var isShipped = false
    public var isDelivered = false

    public init() {}

    public func lineIndex(_ line: Int) -> Int? { lines.firstIndex { $0.line == line } }

    public var isFullyAllocated: Bool { lines.allSatisfy { $0.missing == 0 } }
    public var isFullyPicked: Bool { lines.allSatisfy { $0.picked + $0.cancelled == $0.quantity } }
    public var isFullyPacked: Bool { isFullyPicked && lines.allSatisfy { $0.packed == $0.picked } }

    public var status: OrderStatus {
        if isCancelled { return .cancelled }
        if isDelivered { return .delivered }
        if isShipped { return .shipped }
        if !cartons.isEmpty && isFullyPacked { return .packed }
        if lines.contains(where: { $0.picked > 0 }) && isFullyPicked { return .picked }
        if waveReleased { return .picking }
        if waveId != nil { return .waved }
        if lines.contains(where: { $0.missing > 0 }) { return .backordered }
        if lines.contains(where: { $0.allocated > 0 }) { return .allocated }
        return .created
    }

    public mutating func apply(_ event: DomainEvent) throws(JSONFieldError) {
        let f = try event.fields
        func line(_ field: String = "line") throws(JSONFieldError) -> Int {
            let n = try f.int(field)
            guard let i = lineIndex(n) else { throw JSONFieldError(eventType: event.type, field: field, problem: "names line \(n), which the order does not have") }
            return i
        }
        switch event.type {
        case Self.created:
            exists = true
            orderId = try f.string("orderId")
            channel = try f.string("channel")
            externalReference = try f.string("externalReference")
            serviceLevel = try f.string("serviceLevel")
            cutoff = try f.optionalInt("cutoff").map(Int64.init)
            priority = try f.int("priority")
            backOrderPolicy = BackOrderPolicy(rawValue: try f.string("backOrderPolicy")) ?? .backOrder
            shipTo = try f.value("shipTo")
            createdAt = Int64(try f.int("createdAt"))
            lines = []
            for (i, item) in (try f.value("lines")).arrayValue!.enumerated() {
                let l = try JSONFieldReader(subject: "event '\(event.type)' lines[\(i)]", value: item)
                lines.append(OrderLineState(line: try l.int("line"), sku: try l.string("sku"), quantity: try l.int("quantity")))
            }
        case Self.allocated:
            for (i, item) in (f.optional("allocations")?.arrayValue ?? []).enumerated() {
                let a = try JSONFieldReader(subject: "event '\(event.type)' allocations[\(i)]", value: item)
                let n = try a.int("line")
                guard let at = lineIndex(n) else { continue }
                lines[at].allocated += try a.int("quantity")
            }
        case Self.backordered:
            break  // the missing quantity is derived; the event tells the outside world
        case Self.lineCancelled:
            let i = try line()
            lines[i].cancelled += try f.int("quantity")
        case Self.waved:
            waveId = try f.string("waveId")
        case Self.released:
            waveReleased = true
            for case .string(let t) in f.optional("tasks")?.arrayValue ?? [] where !tasks.contains(t) { tasks.append(t) }
        case Self.linePicked:
            let i = try line(), q = try f.int("quantity")
            lines[i].allocated -= q
            lines[i].picked += q
        case Self.lineShorted:
            let i = try line()
            lines[i].allocated -= try f.int("missing")
        case Self.cartonPacked:
            cartons.append(try f.string("cartonId"))
            for item in f.optional("lines")?.arrayValue ?? [] {
                let l = try JSONFieldReader(subject: "event '\(event.type)' lines", value: item)
                if let i = lineIndex(try l.int("line")) { lines[i].packed += try l.int("quantity") }
            }
        case Self.cartonShipped:
            shippedCartons.insert(try f.string("cartonId"))
        case Self.cartonDelivered:
            deliveredCartons.insert(try f.string("cartonId"))
        case Self.shipped:
            isShipped = true
        case Self.delivered:
            isDelivered = true
        case Self.cancelled:
            isCancelled = true
            for i in lines.indices { lines[i].allocated = 0 }
        default:
            break
        }
    }
}
