import PakLog
import StrictYAML
import Testing
import Warehouse
import WarehouseService

/// The `warehouse:` section and `command:` route targets.
@Suite("Configuration of the warehouse core")
struct WarehouseConfigurationTests {
    let loader = ConfigurationLoader(environment: [:])

    static let valid = """
        warehouse:
          ssccCompanyPrefix: "0614141"
          layout: {aisles: 12, baysPerAisle: 30, depotAisle: 5.5}
          tours: {maxOrders: 6, maxUnits: 80, maxStops: 10}
          backOrderPolicy: ship-partial
          carriers:
            GROUND: {carrier: fedex, service: FEDEX_GROUND}
          labelTimeout: 2m
          waves: {every: 10m, release: manual, maxOrders: 30, maxLines: 300, maxUnits: 900, cutoffWindow: 30m}
        sources:
          shop:
            type: webhook
            path: /webhooks/shop
            signature: {scheme: standard-webhooks, secrets: ["whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ="]}
        routes:
          - name: orders
            from: shop
            steps:
              - to: [command:CreateOrder]
        """

    @Test func theSectionLoads() throws {
        let config = try loader.load(text: Self.valid, file: "paklog.yaml", baseDirectory: "/tmp")
        let w = config.warehouse
        #expect(w.settings.sscc == SSCCGenerator(companyPrefix: "0614141"))
        #expect(w.settings.layout.aisles == 12 && w.settings.layout.baysPerAisle == 30 && w.settings.layout.depotAisle == 5.5)
        #expect(w.settings.tourLimits == BatchLimits(maxOrders: 6, maxUnits: 80, maxStops: 10))
        #expect(w.settings.backOrderPolicy == .shipPartial)
        #expect(w.settings.carrierServices["GROUND"] == CarrierService(carrier: "fedex", service: "FEDEX_GROUND"))
        #expect(w.labelTimeout == .seconds(120))
        #expect(w.waves == WaveScheduleSettings(every: .seconds(600), release: false,
                                                limits: WaveLimits(maxOrders: 30, maxLines: 300, maxUnits: 900, cutoffWindow: 1_800_000)))
    }

    @Test func wrongValuesAreNamedWithTheirLines() throws {
        let text = Self.valid
            .replacingOccurrences(of: "\"0614141\"", with: "\"12ab\"")
            .replacingOccurrences(of: "maxStops: 10", with: "maxStops: 0")
            .replacingOccurrences(of: "command:CreateOrder", with: "command:CreateOrders")
            .replacingOccurrences(of: "every: 10m", with: "every: 1s")
            .replacingOccurrences(of: "release: manual", with: "release: sometimes")
        var problems: [String] = []
        do { _ = try loader.load(text: text, file: "paklog.yaml", baseDirectory: "/tmp") } catch { problems = error.diagnostics.map(\.description) }
        #expect(problems.contains { $0.contains("paklog.yaml:2:") && $0.contains("a GS1 company prefix has 7 to 10 digits") }, "\(problems)")
        #expect(problems.contains { $0.contains("paklog.yaml:4:") && $0.contains("maxStops") }, "\(problems)")
        #expect(problems.contains { $0.contains("'CreateOrders' is not a warehouse command") }, "\(problems)")
        #expect(problems.contains { $0.contains("paklog.yaml:9:") && $0.contains("at most every 10s") }, "\(problems)")
        #expect(problems.contains { $0.contains("paklog.yaml:9:") && $0.contains("sometimes") }, "\(problems)")
    }
}
