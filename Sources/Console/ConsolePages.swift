import Foundation
import Gateway

/// The console's pages, one file each (`OverviewPage`, `WherePage`, `DeadLetterPages`,
/// `EventFeedPage`): each renders what the daemon holds, escaping every value.
struct ConsolePages: Sendable {
    let services: ConsoleServices
    let started: Date

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    static func table(_ headers: [String], _ rows: [[String]], id: String? = nil, empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(empty.html)</p>" }
        let head = headers.map { "<th>\($0.html)</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table>"
    }
}
