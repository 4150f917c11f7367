import JSON
import Warehouse

/// The core's aggregates as the API answers them.
enum WarehouseJSON {
    static func order(_ o: OrderState) -> JSONValue {
        .object([
            "orderId": .string(o.orderId), "status": .string(o.status.rawValue), "channel": .string(o.channel),
            "externalReference": .string(o.externalReference), "serviceLevel": .string(o.serviceLevel),
            "cutoff": o.cutoff.map { .number(Double($0)) } ?? .null, "priority": .number(Double(o.priority)),
            "backOrderPolicy": .string(o.backOrderPolicy.rawValue), "shipTo": o.shipTo,
            "waveId": o.waveId.map { .string($0) } ?? .null, "tasks": .array(o.tasks.map { .string($0) }), "cartons": .array(o.cartons.map { .string($0) }),
            "lines": .array(o.lines.map { l in
                ["line": .number(Double(l.line)), "sku": .string(l.sku), "quantity": .number(Double(l.quantity)), "allocated": .number(Double(l.allocated)),
                 "picked": .number(Double(l.picked)), "packed": .number(Double(l.packed)), "cancelled": .number(Double(l.cancelled)),
                 "backordered": .number(Double(l.missing))]
            }),
        ])
    }

    static func inventory(_ sku: String, _ s: InventoryState) -> JSONValue {
        .object([
            "sku": .string(sku), "onHand": .number(Double(s.onHand)), "reserved": .number(Double(s.reservedTotal)), "available": .number(Double(s.available)),
            "balances": .array(s.balances.keys.sorted().map { p in
                let b = s.balances[p]!
                return ["location": .string(p.location), "lot": p.lot.map { .string($0) } ?? .null, "onHand": .number(Double(b.onHand)),
                        "reserved": .number(Double(b.reserved)), "expiry": b.expiry.map { .number(Double($0)) } ?? .null]
            }),
        ])
    }

    static func task(_ t: TaskState) -> JSONValue {
        .object([
            "taskId": .string(t.taskId), "kind": .string(t.kind.rawValue), "status": .string(t.status.rawValue), "waveId": .string(t.waveId),
            "zone": .string(t.zone), "to": t.replenishTo.map { .string($0) } ?? .null,
            "priority": .number(Double(t.priority)), "cutoff": t.cutoff.map { .number(Double($0)) } ?? .null,
            "claimedBy": t.claimedBy.map { .string($0) } ?? .null,
            "lines": .array(t.lines.map { l in
                ["index": .number(Double(l.index)), "orderId": .string(l.orderId), "line": .number(Double(l.line)), "sku": .string(l.sku),
                 "location": .string(l.place.location), "lot": l.place.lot.map { .string($0) } ?? .null, "quantity": .number(Double(l.quantity)),
                 "status": .string(l.status.rawValue), "picked": .number(Double(l.picked))]
            }),
        ])
    }

    static func wave(_ w: WaveState) -> JSONValue {
        ["waveId": .string(w.waveId), "status": .string(w.status.rawValue), "orders": .array(w.orders.map { .string($0) }), "tasks": .array(w.tasks.map { .string($0) })]
    }

    static func carton(_ c: CartonState) -> JSONValue {
        .object([
            "cartonId": .string(c.cartonId), "orderId": .string(c.orderId), "sscc": .string(c.sscc), "status": .string(c.status.rawValue),
            "carrier": c.carrier.map { .string($0) } ?? .null, "service": c.service.map { .string($0) } ?? .null,
            "trackingNumber": c.trackingNumber.map { .string($0) } ?? .null,
            "lines": .array(c.lines.map { ["line": .number(Double($0.line)), "sku": .string($0.sku), "quantity": .number(Double($0.quantity))] }),
        ])
    }

    static func location(_ l: LocationState) -> JSONValue {
        .object([
            "locationId": .string(l.id), "zone": .string(l.zone), "aisle": .number(Double(l.aisle)), "bay": .number(Double(l.bay)),
            "level": .number(Double(l.level)), "x": l.x.map { .number($0) } ?? .null, "y": l.y.map { .number($0) } ?? .null,
            "kind": .string(l.kind.rawValue),
        ])
    }

    static func item(_ i: ItemState) -> JSONValue {
        .object([
            "sku": .string(i.sku), "gtin": i.gtin.map { .string($0) } ?? .null, "description": i.description.map { .string($0) } ?? .null,
            "unitOfMeasure": .string(i.unitOfMeasure), "lotControlled": .bool(i.lotControlled), "expiryControlled": .bool(i.expiryControlled),
            "allocation": .string(i.allocation.rawValue),
        ])
    }
}
