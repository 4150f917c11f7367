/// Every command of the core, by name.
public enum WarehouseCommands {
    static let handlers: [String: CommandBus.Handler] = [
        "DefineItem": CatalogCommands.defineItem,
        "DefineLocation": CatalogCommands.defineLocation,
        "ReceiveStock": StockCommands.receive,
        "AdjustStock": StockCommands.adjust,
        "MoveStock": StockCommands.move,
        "CreateOrder": OrderCommands.create,
        "AllocateOrder": OrderCommands.allocate,
        "CancelOrder": OrderCommands.cancel,
        "CreateWave": WaveCommands.create,
        "ReleaseWave": WaveCommands.release,
        "ClaimTask": TaskCommands.claim,
        "UnclaimTask": TaskCommands.unclaim,
        "ConfirmPick": TaskCommands.confirmPick,
        "ShortTask": TaskCommands.short,
        "CompleteTask": TaskCommands.complete,
        "PackCarton": ShippingCommands.pack,
        "RequestLabel": ShippingCommands.requestLabel,
        "RecordLabel": ShippingCommands.recordLabel,
        "VoidLabel": ShippingCommands.voidLabel,
        "ShipCarton": ShippingCommands.ship,
        "ConfirmDelivery": ShippingCommands.confirmDelivery,
    ]

    /// The names of every command, sorted (for the API's discovery and the CLI's help).
    public static var names: [String] { handlers.keys.sorted() }
}
