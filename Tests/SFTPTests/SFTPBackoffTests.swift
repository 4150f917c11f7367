import SFTP
import Testing

@Suite("Reconnect delays grow exponentially to a cap, with jitter below the nominal delay")
struct SFTPBackoffTests {
    let backoff = SFTPBackoff(initial: .seconds(1), maximum: .seconds(60), multiplier: 2, jitter: 0.5)

    @Test func withoutJitterTheDelayDoublesUntilTheCap() {
        let delays = (1...8).map { backoff.delay(afterFailures: $0, unitRandom: 0) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
        #expect(backoff.delay(afterFailures: 10_000, unitRandom: 0) == .seconds(60))
    }

    @Test func jitterShortensTheDelayWithinItsBand() {
        #expect(backoff.delay(afterFailures: 3, unitRandom: 1) == .seconds(2))
        #expect(backoff.delay(afterFailures: 3, unitRandom: 0.5) == .seconds(3))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let delay = backoff.delay(afterFailures: 4, using: &generator)
            #expect(delay > .seconds(4) && delay <= .seconds(8))
        }
    }
}
