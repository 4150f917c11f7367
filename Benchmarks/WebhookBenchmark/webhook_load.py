#!/usr/bin/env python3
"""Signed webhook requests for the webhook benchmark (run.sh). Python 3 standard library only.

  generate   precompute N Standard-Webhooks-signed requests (distinct webhook-ids, one shared
             body) into the file signed_webhooks.lua cycles through
  send       send COUNT orders (distinct order numbers) at a fixed RATE (open loop: each request
             is due at start + i/RATE, whatever the answers before it), recording send and answer
             times per order
  report     join the sender's record with scripts/receiver.py's log (--record-field orderId):
             end-to-end latency from sending to delivery at the receiver, p50/p99
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse


def key_of(secret):
    return base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)


def sign(key, webhook_id, timestamp, body):
    """Standard Webhooks v1: base64 HMAC-SHA256 over "<id>.<timestamp>.<body>"."""
    mac = hmac.new(key, b"%s.%d." % (webhook_id.encode(), timestamp) + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def order_body(fixture_text, number):
    """The fixture order as order `number`, compact (one line)."""
    document = json.loads(fixture_text)
    document["order_number"] = number
    document["name"] = "#%d" % number
    return json.dumps(document, separators=(",", ":")).encode()


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def generate(args):
    key = key_of(args.secret)
    body = order_body(open(args.fixture).read(), args.order_number)
    now = int(time.time())
    with open(args.out, "w") as out:
        out.write(body.decode() + "\n")
        for i in range(args.count):
            webhook_id = "msg_%s_%d" % (args.prefix, i)
            out.write("%s %d %s\n" % (webhook_id, now, sign(key, webhook_id, now, body)))


def send(args):
    key = key_of(args.secret)
    fixture = open(args.fixture).read()
    url = urllib.parse.urlsplit(args.url)
    jobs = queue.Queue()
    records = []
    lock = threading.Lock()
    start = time.time() + 0.5
    for i in range(args.count):
        number = args.first_order + i
        jobs.put((start + i / args.rate, number))

    def worker():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while True:
            try:
                due, number = jobs.get_nowait()
            except queue.Empty:
                return
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            body = order_body(fixture, number)
            webhook_id = "msg_%s_%d" % (args.prefix, number)
            sent = time.time()
            headers = {"Content-Type": "application/json", "webhook-id": webhook_id,
                       "webhook-timestamp": str(int(sent)), "webhook-signature": sign(key, webhook_id, int(sent), body)}
            try:
                connection.request("POST", url.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                status = None
            answered = time.time()
            with lock:
                records.append({"orderId": "SHOP-%d" % number, "due": due, "sent": sent, "answered": answered, "status": status})

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(args.out, "w") as out:
        for r in records:
            out.write(json.dumps(r) + "\n")
    ok = [r for r in records if r["status"] == 202]
    late = [r["sent"] - r["due"] for r in records]
    ack = [1000 * (r["answered"] - r["sent"]) for r in ok]
    span = max(r["answered"] for r in records) - start
    print("paced send: %d requests at %.0f/s target (%.0f/s achieved), %d answered 202; ack latency p50 %.2f ms, p99 %.2f ms; "
          "sender lag p99 %.2f ms" % (len(records), args.rate, len(records) / span, len(ok),
                                       percentile(ack, 50), percentile(ack, 99), 1000 * percentile(late, 99)))


def report(args):
    sends = [json.loads(line) for line in open(args.sends)]
    delivered = {}
    deadline = time.time() + args.wait
    expected = {s["orderId"] for s in sends if s["status"] == 202}
    while True:
        delivered = {}
        try:
            for line in open(args.receiver):
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if r.get("status") == 200 and r.get("field") and r["field"] not in delivered:
                    delivered[r["field"]] = r["receivedAt"]
        except FileNotFoundError:
            pass
        if expected.issubset(delivered) or time.time() > deadline:
            break
        time.sleep(0.5)
    latencies = [1000 * (delivered[s["orderId"]] - s["sent"]) for s in sends if s["orderId"] in delivered]
    print("end-to-end (sent -> delivered to receiver.py): %d of %d acknowledged orders delivered; p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (
        len(latencies), len(expected), percentile(latencies, 50), percentile(latencies, 99), max(latencies) if latencies else float("nan")))
    print("RESULT e2e_delivered=%d e2e_expected=%d e2e_p50_ms=%.2f e2e_p99_ms=%.2f" % (
        len(latencies), len(expected), percentile(latencies, 50), percentile(latencies, 99)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--count", type=int, required=True)
    g.add_argument("--secret", required=True)
    g.add_argument("--fixture", required=True)
    g.add_argument("--prefix", required=True, help="makes the ids of this file distinct from other runs'")
    g.add_argument("--order-number", type=int, default=900000)
    g.add_argument("--out", required=True)
    s = sub.add_parser("send")
    s.add_argument("--url", required=True)
    s.add_argument("--secret", required=True)
    s.add_argument("--fixture", required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--rate", type=float, required=True)
    s.add_argument("--first-order", type=int, default=500000)
    s.add_argument("--prefix", default="e2e")
    s.add_argument("--workers", type=int, default=16)
    s.add_argument("--out", required=True)
    r = sub.add_parser("report")
    r.add_argument("--sends", required=True)
    r.add_argument("--receiver", required=True)
    r.add_argument("--wait", type=float, default=60, help="seconds to wait for the last deliveries")
    args = parser.parse_args()
    {"generate": generate, "send": send, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
