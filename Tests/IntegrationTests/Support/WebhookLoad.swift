import Foundation
import HTTPClient
import Synchronization

/// The load of the acceptance tests: `count` webhooks, each a different order with its
/// own `webhook-id`; a fraction of them sent twice (a partner's redelivery, same id and bytes) and
/// a fraction with one byte changed after signing.
struct WebhookLoad: Sendable {
    let seed: UInt64
    /// Correctly signed webhooks, one per id.
    let valid: [SignedWebhook]
    /// Webhooks whose body was changed after signing (ids never sent intact).
    let tampered: [SignedWebhook]
    /// Ids of the valid webhooks that are sent twice.
    let resentIds: Set<String>
    /// Every request, shuffled.
    let requests: [SignedWebhook]

    init(count: Int, duplicateFraction: Double, tamperedFraction: Double, firstOrderNumber: Int, seed: UInt64) throws {
        self.seed = seed
        var random = SeededGenerator(seed: seed)
        let tamperedCount = Int((Double(count) * tamperedFraction).rounded())
        let duplicateCount = Int((Double(count) * duplicateFraction).rounded())
        var webhooks: [SignedWebhook] = []
        for i in 0..<count {
            let number = firstOrderNumber + i
            let id = "msg_e2e_\(seed)_\(number)"
            webhooks.append(try SignedWebhook.signed(id: id, body: try OrderFixture.body(orderNumber: number), orderNumber: number))
        }
        webhooks.shuffle(using: &random)
        tampered = webhooks.prefix(tamperedCount).map { $0.tampered() }
        valid = Array(webhooks.dropFirst(tamperedCount))
        let resent = valid.shuffled(using: &random).prefix(duplicateCount)
        resentIds = Set(resent.map(\.id))
        requests = (valid + resent + tampered).shuffled(using: &random)
    }
}

/// What the daemon answered to one webhook (after any retries of the sender).
struct WebhookOutcome: Sendable {
    var webhook: SignedWebhook
    /// nil when no answer ever came (connection refused or reset until the sender gave up).
    var status: Int?
    var body: String
    /// Requests made for it (more than 1 when the sender retried).
    var tries: Int

    /// The `receipt` of a 202 answer.
    var receipt: String? { json?["receipt"] as? String }
    var duplicate: Bool? { json?["duplicate"] as? Bool }
    var error: String? { json?["error"] as? String }

    private var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// How many webhooks have got a final answer so far (shared with the task that sends).
final class SendProgress: Sendable {
    private let completed = Atomic<Int>(0)
    var count: Int { completed.load(ordering: .relaxed) }
    func increment() { completed.add(1, ordering: .relaxed) }
}

enum WebhookSender {
    /// Sends every webhook with at most `concurrency` requests in flight. Like a partner that
    /// retries, a request that got no answer or a 503 is sent again (same id, same bytes) every
    /// 100 ms until `retryFor` has passed.
    static func send(_ webhooks: [SignedWebhook], to url: String, client: HTTPClient, concurrency: Int = 16,
                     retryFor: Duration = .zero, progress: SendProgress = SendProgress()) async -> [WebhookOutcome] {
        await withTaskGroup(of: WebhookOutcome.self) { group in
            var outcomes: [WebhookOutcome] = []
            outcomes.reserveCapacity(webhooks.count)
            var next = 0
            func launch() {
                let webhook = webhooks[next]
                next += 1
                group.addTask {
                    let outcome = await sendOne(webhook, to: url, client: client, retryFor: retryFor)
                    progress.increment()
                    return outcome
                }
            }
            while next < min(concurrency, webhooks.count) { launch() }
            while let outcome = await group.next() {
                outcomes.append(outcome)
                if next < webhooks.count { launch() }
            }
            return outcomes
        }
    }

    static func sendOne(_ webhook: SignedWebhook, to url: String, client: HTTPClient, retryFor: Duration) async -> WebhookOutcome {
        let deadline = ContinuousClock.now + retryFor
        var tries = 0
        while true {
            tries += 1
            var outcome = WebhookOutcome(webhook: webhook, status: nil, body: "", tries: tries)
            do {
                let response = try await client.execute(webhook.request(to: url))
                outcome.status = response.status
                outcome.body = String(decoding: response.body, as: UTF8.self)
            } catch {
                outcome.body = "\(error)"
            }
            let retryable = outcome.status == nil || outcome.status == 503
            if !retryable || ContinuousClock.now >= deadline { return outcome }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
