import CCurl
import Foundation
import Synchronization

/// A libcurl multi handle driven by one dedicated thread.
///
/// Callers hand requests over through a `Mutex`-protected queue and wake the thread with
/// `curl_multi_wakeup`; the thread adds them to the multi handle, runs `curl_multi_perform`,
/// resumes each caller's continuation when its transfer is done, and sleeps in
/// `curl_multi_poll`. No libcurl call except `curl_multi_wakeup` happens on another thread, and
/// no caller ever blocks: the cooperative thread pool only waits on continuations.
///
/// Connections live in the multi handle's connection cache, so every transfer can reuse any
/// idle connection (HTTP/1.1) or multiplex over one (HTTP/2).
final class CurlEventLoop: Sendable {
    /// The multi handle's address, shared with submitting threads only for `curl_multi_wakeup`,
    /// which libcurl documents as callable from any thread (curl_multi_wakeup(3)). Every other
    /// use is on the loop thread, and the handle is cleaned up only after the last wakeup: see
    /// ``Shared/stopping``.
    private struct MultiHandle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    private struct Shared {
        var incoming: [TransferJob] = []
        var cancelled: [UInt64] = []
        /// Set once, under the lock; afterwards nobody calls `curl_multi_wakeup`, so the loop
        /// thread may clean up the multi handle when it sees it.
        var stopping = false
        var stopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: MultiHandle
    private let shared = Mutex(Shared())

    init(configuration: HTTPClientConfiguration) {
        precondition(CurlRuntime.initialized, "curl_global_init failed")
        guard let raw = curl_multi_init() else {
            preconditionFailure("curl_multi_init failed (out of memory)")
        }
        multi = MultiHandle(raw: raw)
        _ = paklog_curl_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, configuration.maxConnectionsPerHost))
        _ = paklog_curl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, max(1, configuration.connectionCacheSize))
        _ = paklog_curl_multi_setopt_long(raw, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))

        let thread = Thread { [self] in
            let worker = CurlLoopWorker(multi: self.multi.raw, configuration: configuration)
            worker.run(loop: self)
            curl_multi_cleanup(self.multi.raw)
            self.markStopped()
        }
        thread.name = "paklog-curl"
        thread.start()
    }

    /// Queues a transfer. Returns `false` when the loop is stopping.
    func submit(_ job: TransferJob) -> Bool {
        shared.withLock { state in
            guard !state.stopping else { return false }
            state.incoming.append(job)
            curl_multi_wakeup(multi.raw)
            return true
        }
    }

    /// Asks the loop to abort a transfer; unknown or finished ids are ignored.
    func cancel(id: UInt64) {
        shared.withLock { state in
            guard !state.stopping else { return }
            state.cancelled.append(id)
            curl_multi_wakeup(multi.raw)
        }
    }

    /// Stops taking requests and tells the loop thread to fail the open ones and exit.
    func beginStopping() {
        shared.withLock { state in
            guard !state.stopping else { return }
            state.stopping = true
            curl_multi_wakeup(multi.raw)
        }
    }

    /// Stops the loop and returns when its thread has released every libcurl handle.
    func stop() async {
        beginStopping()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = shared.withLock { state in
                if state.stopped { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() }
        }
    }

    // MARK: Called on the loop thread

    fileprivate func takeWork() -> (jobs: [TransferJob], cancelled: [UInt64], stopping: Bool) {
        shared.withLock { state in
            defer {
                state.incoming.removeAll(keepingCapacity: true)
                state.cancelled.removeAll(keepingCapacity: true)
            }
            return (state.incoming, state.cancelled, state.stopping)
        }
    }

    private func markStopped() {
        let waiters = shared.withLock { state in
            state.stopped = true
            defer { state.stopWaiters.removeAll() }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The loop thread's own state: the transfers in flight and the idle easy handles. Never leaves
/// the loop thread.
private final class CurlLoopWorker {
    private let multi: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration
    private var byHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var handleByID: [UInt64: UnsafeMutableRawPointer] = [:]
    /// Easy handles kept for the next transfers (curl_easy_reset keeps their DNS and TLS
    /// session caches); connections themselves are in the multi handle's cache.
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private let maxIdleHandles = 64

    init(multi: UnsafeMutableRawPointer, configuration: HTTPClientConfiguration) {
        self.multi = multi
        self.configuration = configuration
    }

    func run(loop: CurlEventLoop) {
        var running: Int32 = 0
        while true {
            let work = loop.takeWork()
            if work.stopping {
                for job in work.jobs {
                    job.continuation.resume(throwing: HTTPClientError(kind: .shutdown, url: job.request.url))
                }
                break
            }
            for job in work.jobs { start(job) }
            for id in work.cancelled { cancel(id: id) }

            curl_multi_perform(multi, &running)
            collectFinishedTransfers()
            // Sleeps until a socket is ready, libcurl's next timer is due, or a wakeup arrives.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in Array(byHandle.values) {
            detach(transfer)
            transfer.fail(with: HTTPClientError(kind: .shutdown, url: transfer.url))
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
    }

    private func start(_ job: TransferJob) {
        let easy: UnsafeMutableRawPointer
        if let idle = idleHandles.popLast() {
            easy = idle
        } else if let fresh = curl_easy_init() {
            easy = fresh
        } else {
            job.continuation.resume(
                throwing: HTTPClientError(kind: .other, url: job.request.url, detail: "curl_easy_init failed"))
            return
        }
        let transfer = CurlTransfer(job: job, easy: easy, maxResponseSize: configuration.maxResponseSize)
        if let failure = transfer.configure(job, client: configuration) {
            recycle(easy)
            transfer.fail(with: failure)
            return
        }
        let code = curl_multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            recycle(easy)
            let text = curl_multi_strerror(code).map { String(cString: $0) } ?? "unknown"
            transfer.fail(
                with: HTTPClientError(
                    kind: .other, url: job.request.url, detail: "curl_multi_add_handle: \(text)"))
            return
        }
        byHandle[easy] = transfer
        handleByID[job.id] = easy
    }

    private func cancel(id: UInt64) {
        guard let easy = handleByID[id], let transfer = byHandle[easy] else { return }
        detach(transfer)
        transfer.fail(with: CancellationError())
    }

    private func collectFinishedTransfers() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = byHandle[easy]
            else { continue }
            // The message belongs to libcurl and dies with curl_multi_remove_handle: read first.
            let result = message.pointee.data.result
            transfer.complete(result: result)
            detach(transfer)
        }
    }

    /// Takes the transfer's easy handle out of the multi handle and back to the idle pool.
    private func detach(_ transfer: CurlTransfer) {
        curl_multi_remove_handle(multi, transfer.easy)
        byHandle[transfer.easy] = nil
        handleByID[transfer.id] = nil
        recycle(transfer.easy)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        // Reset drops every option, including the pointers into the finished transfer's buffers.
        curl_easy_reset(easy)
        if idleHandles.count < maxIdleHandles {
            idleHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}
