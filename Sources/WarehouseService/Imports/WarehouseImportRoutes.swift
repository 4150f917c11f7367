import Codecs
import Gateway
import Hummingbird
import JSON

/// `POST /api/v1/imports/{orders|items|locations|stock}` (bearer token, like the rest of
/// `/api`): the body is the CSV file (`Content-Type: text/csv`); `?delimiter=semicolon|tab|pipe`
/// for files not separated by commas, `?file=<name>` to name it in the report and audit trail.
///
/// 200 with the report (`WarehouseImportReport`) even when records were rejected; 422 when the
/// file as a whole cannot be read (nothing imported); 404 for an unknown kind; 503 when this
/// daemon has no mapping for the kind. Retrying an upload is safe: the same file changes nothing
/// the second time.
public struct WarehouseImportRoutes: GatewayRouteProvider {
    let importer: WarehouseImporter

    public init(importer: WarehouseImporter) {
        self.importer = importer
    }


    public func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("v1/imports/:kind") { request, context in
            let name = try context.parameters.require("kind")
            guard let kind = WarehouseImportKind(rawValue: name) else {
                return jsonError(.notFound, "'\(name)' is not an import kind (\(WarehouseImportKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/") {
                return jsonError(.unsupportedMediaType, "send the CSV file itself as the body (Content-Type: text/csv), not a form")
            }
            let q = request.uri.queryParameters
            let delimiter: CSVDelimiter
            switch q.get("delimiter").map({ String($0) }) ?? "comma" {
            case "comma", ",": delimiter = .comma
            case "semicolon", ";": delimiter = .semicolon
            case "tab": delimiter = .tab
            case "pipe", "|": delimiter = .pipe
            case let other: return jsonError(.badRequest, "delimiter '\(other)': use comma, semicolon, tab or pipe")
            }
            let body = try await request.body.collect(upTo: .max)  // bounded by BodySizeLimitMiddleware (http.maxImportBytes)
            do {
                let report = try await importer.importFile(kind, csv: Array(body.readableBytesView), file: q.get("file").map { String($0) },
                                                           delimiter: delimiter, issuedBy: "api")
                return jsonResponse(.ok, report.json.serialized(pretty: true))
            } catch let error as WarehouseImportError {
                switch error {
                case .unreadable: return jsonResponse(.unprocessableContent, error.json.serialized(pretty: true))
                case .noMapping: return jsonError(.serviceUnavailable, error.description)
                }
            }
        }
    }
}
