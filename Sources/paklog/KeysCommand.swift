import ArgumentParser
import EventStore
import Foundation
import Gateway

/// `paklog keys …`: API keys with scopes, kept in the event store as salted hashes. The running
/// daemon picks up a new or revoked key within a second.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (each with its scopes; stored only as salted hashes).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print its token, once: it is not stored and cannot be shown again.",
            discussion: "Scopes: \(APIScopes.all.joined(separator: ", ")). `admin` may call every route.")
        @Argument(help: "A name saying who uses the key (shown in `keys list`).") var name: String
        @Option(help: "Comma-separated scopes.") var scopes: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let wanted = Set(scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            let unknown = wanted.subtracting(APIScopes.all)
            guard unknown.isEmpty, !wanted.isEmpty else {
                throw ValidationError("unknown or no scopes (\(unknown.sorted().joined(separator: ", "))); scopes are: \(APIScopes.all.joined(separator: ", "))")
            }
            let opened = try store.open(creating: true)
            let (key, token) = APIKey.issue(name: name, scopes: wanted)
            _ = try await opened.append(AppendTransaction(appends: [APIKeyEvents.created(key)]))
            await opened.close()
            print(token)
            FileHandle.standardError.write(Data("key \(key.id) '\(name)' created with \(wanted.sorted().joined(separator: ", ")); the token above is shown only now\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per key: id, name, scopes, created, revoked (never a secret).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try store.open()
            var keys: [String: APIKey] = [:]
            _ = try await APIKeyEvents.read(opened, after: 0, into: &keys)
            await opened.close()
            let time = ISO8601DateFormatter()
            for key in keys.values.sorted(by: { $0.createdAt < $1.createdAt }) {
                print("\(key.id)  \(key.name)  scopes=\(key.scopes.sorted().joined(separator: ","))  created=\(time.string(from: key.createdAt))"
                      + (key.revokedAt.map { "  revoked=\(time.string(from: $0))" } ?? ""))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: the daemon refuses it within a second.")
        @Argument(help: "The key's id (`keys list`).") var id: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try store.open()
            var keys: [String: APIKey] = [:]
            _ = try await APIKeyEvents.read(opened, after: 0, into: &keys)
            guard let key = keys[id] else {
                await opened.close()
                throw ValidationError("no key '\(id)' (keys: \(keys.keys.sorted().joined(separator: ", ")))")
            }
            if key.revokedAt == nil { _ = try await opened.append(AppendTransaction(appends: [APIKeyEvents.revoked(id)])) }
            await opened.close()
            print("key \(id) '\(key.name)' revoked")
        }
    }
}
