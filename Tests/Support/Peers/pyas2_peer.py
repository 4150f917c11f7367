"""pyas2lib (https://github.com/abhishek-ram/pyas2-lib) as the foreign AS2 partner of the tests.

Each command reads a JSON job file and works on the files in its directory:
  build       pyas2lib builds a message per case: NAME.headers.json, NAME.body, NAME.state.json (its MIC)
  verify-mdn  pyas2lib parses our MDN for each case it built (NAME.mdn.*) and writes NAME.mdn-result.json
  receive     pyas2lib parses each message we built (NAME.headers.json, NAME.body) and writes
              NAME.result.json and, when one was asked, its MDN as NAME.mdn.headers.json / NAME.mdn.body
  send        over HTTP: pyas2lib builds each case and POSTs it to job["url"] (`repeat` times, the
              same bytes each time), parses each synchronous MDN, writes NAME.send-result.json
  serve       an AS2 receiver over HTTP on job["port"]: parses each POST with pyas2lib, keeps the
              payload as <Message-ID>.received, answers with pyas2lib's MDN (synchronous, or
              POSTed to the Receipt-Delivery-Option)
  bench       the AS2 benchmark's peer: pyas2lib parses one message and builds its MDN, N times
Nothing here computes what the Swift side checks: every MIC, signature and MDN comes from pyas2lib.
"""
import json
import os
import sys

from pyas2lib import Message, Mdn, Organization, Partner


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def raw_message(headers, body):
    """The HTTP fields followed by the body, as pyas2lib's parse expects."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("utf-8") + b"\r\n" + body


def organization(job):
    key = read(job["pyKeyAndCert"])
    return Organization(as2_name=job["pyName"], sign_key=key, decrypt_key=key, domain="pyas2.test",
                        mdn_url=job.get("mdnURL"))


def partner(job, case):
    """The Swift side as pyas2lib's partner."""
    ours = read(job["ourCertificate"])
    # A negative case may encrypt to another certificate than ours.
    encrypt_to = read(case["encryptTo"]) if case.get("encryptTo") else ours
    return Partner(
        as2_name=job["ourName"], verify_cert=ours, encrypt_cert=encrypt_to, validate_certs=False,
        sign=case.get("sign", False), digest_alg=case.get("digest", "sha256"),
        encrypt=case.get("encrypt", False), enc_alg=case.get("cipher", "aes_256_cbc"),
        compress=case.get("compress", False), mdn_mode=case.get("mdnMode", "SYNC"),
        mdn_digest_alg=case.get("mdnDigest"))


def build(job):
    org = organization(job)
    for case in job["cases"]:
        message = Message(sender=org, receiver=partner(job, case))
        message.build(read(case["payload"]), filename=case.get("filename"), content_type=case.get("contentType", "application/edi-x12"))
        headers = list(message.headers.items())
        base = os.path.join(job["dir"], case["name"])
        with open(base + ".body", "wb") as f:
            f.write(message.content)
        write_json(base + ".headers.json", headers)
        write_json(base + ".state.json", {"messageId": message.message_id,
                                          "mic": message.mic.decode() if message.mic else None,
                                          "digest": message.digest_alg})


def verify_mdn(job):
    org = organization(job)
    for case in job["cases"]:
        base = os.path.join(job["dir"], case["name"])
        if not os.path.exists(base + ".mdn.body"):
            continue
        state = json.load(open(base + ".state.json"))
        original = Message(sender=org, receiver=partner(job, case))
        original.message_id = state["messageId"]
        original.mic = state["mic"].encode() if state["mic"] else None
        headers = json.load(open(base + ".mdn.headers.json"))
        mdn = Mdn()
        status, detail = mdn.parse(raw_message(headers, read(base + ".mdn.body")),
                                   find_message_cb=lambda message_id, recipient: original if message_id == state["messageId"] else None)
        write_json(base + ".mdn-result.json", {"status": status, "detail": detail, "originalMessageId": mdn.orig_message_id})


def receive(job):
    org = organization(job)
    for case in job["cases"]:
        base = os.path.join(job["dir"], case["name"])
        headers = json.load(open(base + ".headers.json"))
        message = Message()
        status, (exception, _), mdn = message.parse(
            raw_message(headers, read(base + ".body")),
            find_org_cb=lambda name: org if name == job["pyName"] else None,
            find_partner_cb=lambda name: partner(job, case) if name == job["ourName"] else None)
        result = {"status": status, "error": str(exception) if exception else None,
                  "signed": message.signed, "encrypted": message.encrypted, "compressed": message.compressed,
                  "mic": message.mic.decode() if message.mic else None, "digest": message.digest_alg,
                  "messageId": message.message_id}
        if status == "processed":
            with open(base + ".received", "wb") as f:
                f.write(message.content)
        if mdn is not None:
            write_json(base + ".mdn.headers.json", list(mdn.headers.items()))
            with open(base + ".mdn.body", "wb") as f:
                f.write(mdn.content)
        write_json(base + ".result.json", result)


def async_receipts(port):
    """A listener for asynchronous MDNs: returns (server, received list)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append((list(self.headers.items()), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def send(job):
    import time
    import urllib.request
    org = organization(job)
    listener, receipts = async_receipts(job["mdnPort"]) if job.get("mdnPort") else (None, [])
    for case in job["cases"]:
        message = Message(sender=org, receiver=partner(job, case))
        message.build(read(case["payload"]), filename=case.get("filename"), content_type=case.get("contentType", "application/edi-x12"))
        body = message.content
        results = []
        for _ in range(case.get("repeat", 1)):
            request = urllib.request.Request(job["url"], data=body, method="POST", headers=dict(message.headers.items()))
            with urllib.request.urlopen(request, timeout=30) as response:
                mdn_body = response.read()
                mdn_headers = list(response.headers.items())
                http_status = response.status
            if case.get("mdnMode") == "ASYNC":
                deadline = time.time() + 20
                while not receipts and time.time() < deadline:
                    time.sleep(0.05)
                if not receipts:
                    results.append({"httpStatus": http_status, "status": "no asynchronous MDN within 20 s"})
                    continue
                mdn_headers, mdn_body = receipts.pop(0)
            mdn = Mdn()
            status, detail = mdn.parse(raw_message(mdn_headers, mdn_body),
                                       find_message_cb=lambda message_id, recipient: message if message_id == message.message_id else None)
            results.append({"httpStatus": http_status, "status": status, "detail": detail, "mdnMessageId": mdn.message_id,
                            "mdnBody": mdn_body.decode("latin-1")})
        write_json(os.path.join(job["dir"], case["name"] + ".send-result.json"),
                   {"messageId": message.message_id, "mic": message.mic.decode() if message.mic else None, "results": results})


def serve(job):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    org = organization(job)
    case = job["cases"][0] if job["cases"] else {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            message = Message()
            status, (exception, _), mdn = message.parse(
                raw_message(list(self.headers.items()), body),
                find_org_cb=lambda name: org if name == job["pyName"] else None,
                find_partner_cb=lambda name: partner(job, case) if name == job["ourName"] else None)
            if status == "processed":
                with open(os.path.join(job["dir"], message.message_id + ".received"), "wb") as f:
                    f.write(message.content)
            with open(os.path.join(job["dir"], "served.jsonl"), "a") as f:
                f.write(json.dumps({"messageId": message.message_id, "status": status, "error": str(exception) if exception else None}) + "\n")
            self.send_response(200)
            if mdn is not None and mdn.mdn_mode == "ASYNC":
                # RFC 4130 §7.3: the receipt goes by POST to the Receipt-Delivery-Option URL.
                import threading
                import urllib.request
                url, content, headers = mdn.mdn_url, mdn.content, dict(mdn.headers.items())

                def deliver():
                    request = urllib.request.Request(url, data=content, method="POST", headers=headers)
                    try:
                        urllib.request.urlopen(request, timeout=30).read()
                    except Exception as e:  # the test reads this from the server's standard error
                        print("asynchronous MDN not delivered:", e, headers, file=sys.stderr, flush=True)
                threading.Thread(target=deliver, daemon=True).start()
                mdn = None
            payload = mdn.content if mdn is not None else b""
            for k, v in (mdn.headers.items() if mdn is not None else []):
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", job["port"]), Handler)
    print("listening", server.server_address[1], flush=True)
    server.serve_forever()


def bench(job):
    """The AS2 benchmark's peer figure: pyas2lib parsing one message and building its signed MDN, repeatedly."""
    import time
    key = read(job["receiverKeyAndCert"])
    org = Organization(as2_name=job["receiverName"], sign_key=key, decrypt_key=key, domain="pyas2.bench")
    sender = Partner(as2_name=job["senderName"], verify_cert=read(job["senderCertificate"]), validate_certs=False,
                     sign=True, encrypt=True, compress=True, mdn_mode="SYNC", mdn_digest_alg="sha256")
    raw = raw_message(json.load(open(job["headersFile"])), read(job["bodyFile"]))
    statuses = set()
    start = time.perf_counter()
    for _ in range(job["iterations"]):
        message = Message()
        status, _, mdn = message.parse(raw, find_org_cb=lambda name: org, find_partner_cb=lambda name: sender)
        mdn.content  # the MDN's bytes, as a server would write them
        statuses.add(status)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "iterations": job["iterations"], "statuses": sorted(statuses), "size": len(raw)}))


if __name__ == "__main__":
    command, job_file = sys.argv[1], sys.argv[2]
    job = json.load(open(job_file))
    {"build": build, "verify-mdn": verify_mdn, "receive": receive, "send": send, "serve": serve, "bench": bench}[command](job)
