#!/usr/bin/env bash
# Webhook ingest benchmark (issue 16). Measures, with wrk from a second process on this machine:
#   1. paklog: signed webhook requests/s and p50/p99 latency (verify + durable append with
#      synchronous=FULL + 202), every request a distinct webhook-id; once with no route at all,
#      once with the quickstart's route orders → transform → topic:order-events (no receiver),
#      whose mapping and commits share the machine with the ingest;
#   2. nginx answering a static 200 to the same requests, and the ratio ours/nginx (goal ≥ 50 %);
#   3. paklog's p99 at half its maximum rate (goal ≤ 10 ms), without a route (what the goal is
#      about: verify + durable append + 202) and with the quickstart route: wrk2 is not available,
#      so every wrk connection waits WRK_DELAY_MS between a response and its next request; the
#      delay is calibrated in a short first run so that the achieved rate is half the maximum.
#      Latency is measured from sending to the response, as in the saturated run;
#   4. end-to-end latency p50/p99, from sending a webhook to its delivery at scripts/receiver.py
#      (receiver's log time per orderId minus send time), at a modest fixed rate (Python open-loop
#      sender). With the quickstart's maximumConcurrentCalls of 8 the delivery side saturated
#      below 200/s here (p50 ~0.6 s of queueing), with 32 it did not (p50 ~5 ms): hence E2E_CONCURRENCY.
# Usage: Benchmarks/WebhookBenchmark/run.sh   (env: DURATION=15s THREADS=2 CONNECTIONS=32
#        REQUESTS=400000 E2E_COUNT=2000 E2E_RATE=200 E2E_CONCURRENCY=32 LOG_LEVEL=info PAKLOG_BIN=… to
#        skip the release build)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-15s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
REQUESTS="${REQUESTS:-400000}"
E2E_COUNT="${E2E_COUNT:-2000}"
E2E_RATE="${E2E_RATE:-200}"
E2E_CONCURRENCY="${E2E_CONCURRENCY:-32}"   # the endpoint's maximumConcurrentCalls (quickstart: 8)
# info: every webhook writes its access line (to the run's log file), as in production.
LOG_LEVEL="${LOG_LEVEL:-info}"
SECRET="whsec_cGFrbG9nLXF1aWNrc3RhcnQtc2VjcmV0LWRvLW5vdC11c2U="   # the quickstart's documented test secret
FIXTURE="$root/Mappings/examples/fixtures/order-minimal.json"
MAPPING="$root/Mappings/examples/order-to-canonical.yaml"

work="$(mktemp -d /tmp/paklog-webhook-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2" | tail -1; }
wait_http() {  # URL: until it answers at all
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2; return 1
}

if [ -n "${PAKLOG_BIN:-}" ]; then
  bin="$PAKLOG_BIN"
else
  echo "== building paklog (release)"
  (cd "$root" && swift build -c release --product paklog)
  bin="$root/.build/release/paklog"
fi

wait_idle() {  # PID LABEL: until the process uses < 5 % of a core for a second (backlog drained)
  local pid="$1" start now before after
  start="$(date +%s.%N)"
  for _ in $(seq 1 180); do
    before="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
    sleep 1
    after="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
    [ $((after - before)) -lt 5 ] && break
  done
  now="$(date +%s.%N)"
  printf '%s: idle again %.1f s after the load stopped\n' "$2" "$(bc -l <<<"$now - $start - 1")"
}

# A daemon on a fresh store; $2 = extra YAML (endpoints) and $3 = targets of the route. Sets
# $started_port (not echoed: in a command substitution the daemon's pid would be lost to cleanup).
start_paklog() {
  local name="$1" endpoints="$2" targets="$3" port
  port="$(free_port)"
  cat >"$work/$name.yaml" <<EOF
storage:
  path: $work/$name/paklog.sqlite
  durability: full
http:
  host: 127.0.0.1
  port: $port
  apiTokens: ["bench-token"]
logging:
  level: $LOG_LEVEL
  format: json
sources:
  orders:
    type: webhook
    path: /webhooks/orders
    maxBodyBytes: 1048576
    contentTypes: [application/json]
    signature:
      scheme: standard-webhooks
      secrets: ["$SECRET"]
      tolerance: 5m
    idempotencyKey:
      header: webhook-id
$endpoints
EOF
  # No targets: no route, only verify + append + 202.
  if [ -n "$targets" ]; then
    cat >>"$work/$name.yaml" <<EOF
routes:
  - name: orders-to-canonical
    from: orders
    steps:
      - transform: $MAPPING
      - to: $targets
EOF
  fi
  "$bin" serve --config "$work/$name.yaml" >"$work/$name.log" 2>&1 &
  started_pid=$!
  pids+=($started_pid)
  wait_http "http://127.0.0.1:$port/healthz"
  started_port="$port"
}

run_wrk() {  # URL PREFIX DURATION [DELAY_MS]: prints the RESULT line
  local url="$1" prefix="$2" duration="$3" delay="${4:-0}"
  python3 "$here/webhook_load.py" generate --count "$REQUESTS" --secret "$SECRET" --fixture "$FIXTURE" \
    --prefix "$prefix" --out "$work/$prefix.requests"
  WRK_DELAY_MS="$delay" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency \
    -s "$here/signed_webhooks.lua" "$url" -- "$work/$prefix.requests" "$THREADS" >"$work/$prefix.wrk" 2>&1
  rm -f "$work/$prefix.requests"
  grep '^RESULT' "$work/$prefix.wrk"
}

half_load() {  # URL MAX_RPS LABEL: p99 at half of MAX_RPS
  local url="$1" half delay probe latency_ms paced
  half="$(bc -l <<<"$2 / 2")"
  delay="$(bc <<<"scale=0; (1000 * $CONNECTIONS / $half + 0.5) / 1")"
  probe="$(run_wrk "$url" "probe$$" 5s "$delay")"
  # rate = connections / (delay + latency): solve for the delay that gives half the maximum.
  latency_ms="$(bc -l <<<"1000 * $CONNECTIONS / $(field rps "$probe") - $delay")"
  delay="$(bc <<<"scale=0; d = (1000 * $CONNECTIONS / $half - $latency_ms + 0.5) / 1; if (d < 1) d = 1; d")"
  paced="$(run_wrk "$url" "half$$" "$DURATION" "$delay")"
  describe "$3 at ~half load (delay ${delay} ms)" "$paced"
  printf 'half load, %s: %.0f req/s achieved of %.0f targeted; p99 %.2f ms (goal <= 10 ms)\n' \
    "$3" "$(field rps "$paced")" "$half" "$(bc -l <<<"$(field p99_us "$paced")/1000")"
}

describe() {  # LABEL RESULT
  local r="$2"
  printf '%-34s %9s req/s   p50 %7.2f ms   p99 %7.2f ms   (%s requests; errors: connect %s read %s status %s timeout %s; ids reused %s times)\n' \
    "$1" "$(field rps "$r")" "$(bc -l <<<"$(field p50_us "$r")/1000")" "$(bc -l <<<"$(field p99_us "$r")/1000")" \
    "$(field requests "$r")" "$(field connect_errors "$r")" "$(field read_errors "$r")" "$(field status_errors "$r")" \
    "$(field timeouts "$r")" "$(field wrapped "$r")"
}

echo "== machine: $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $(nginx -v 2>&1)"

# 0. paklog without any route: exactly verify + durable append + 202.
start_paklog bare "" ""
bare="$(run_wrk "http://127.0.0.1:$started_port/webhooks/orders" "bare$$" "$DURATION")"
describe "paklog, no route" "$bare"
half_load "http://127.0.0.1:$started_port/webhooks/orders" "$(field rps "$bare")" "no route"
kill "$started_pid"; wait "$started_pid" 2>/dev/null || true

# 1. paklog at full load, with the quickstart's route mapping every message behind the 202.
start_paklog ingest "" "[topic:order-events]"
port="$started_port"
ingest_pid="$started_pid"
ours="$(run_wrk "http://127.0.0.1:$port/webhooks/orders" "full$$" "$DURATION")"
describe "paklog, quickstart route" "$ours"
# The route maps what was accepted after the 202; let it finish so that it does not take CPU
# from the next measurements.
wait_idle "$ingest_pid" "paklog route (mapping to order-events)"

# 2. nginx, static 200, same requests.
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 200 "ok\n"; }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>>"$work/nginx/error.log" &
nginx_pid=$!
pids+=($nginx_pid)
wait_http "http://127.0.0.1:$nginx_port/"
theirs="$(run_wrk "http://127.0.0.1:$nginx_port/webhooks/orders" "nginx$$" "$DURATION")"
describe "nginx (static 200)" "$theirs"
printf 'ratio paklog/nginx: %.1f %% without a route, %.1f %% with the quickstart route (goal >= 50 %%)\n' \
  "$(bc -l <<<"100 * $(field rps "$bare") / $(field rps "$theirs")")" "$(bc -l <<<"100 * $(field rps "$ours") / $(field rps "$theirs")")"
kill "$nginx_pid"

# 3. p99 at half of the maximum rate with the route (without: measured after step 0).
half_load "http://127.0.0.1:$port/webhooks/orders" "$(field rps "$ours")" "quickstart route"

wait_idle "$ingest_pid" "paklog route (mapping to order-events)"
kill "$ingest_pid"

# 4. End-to-end latency to a local receiver.py, on a second daemon with the receiver endpoint.
receiver_secret="whsec_$(head -c 32 /dev/urandom | base64)"
PAKLOG_RECEIVER_SECRET="$receiver_secret" python3 "$root/scripts/receiver.py" --port 0 --log "$work/receiver.jsonl" \
  --record-field orderId >"$work/receiver.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/receiver.out" && break; sleep 0.1; done
receiver_port="$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/receiver.out" | head -1)"
endpoint="endpoints:
  receiver:
    type: http
    url: http://127.0.0.1:$receiver_port/deliveries
    signing:
      scheme: standard-webhooks
      secret: $receiver_secret
    timeout: 10s
    maximumConcurrentCalls: $E2E_CONCURRENCY
    redelivery:
      maximumRedeliveries: 8
      redeliveryDelay: 200ms"
start_paklog e2e "$endpoint" "[topic:order-events, endpoint:receiver]"
e2e_port="$started_port"
python3 "$here/webhook_load.py" send --url "http://127.0.0.1:$e2e_port/webhooks/orders" --secret "$SECRET" \
  --fixture "$FIXTURE" --count "$E2E_COUNT" --rate "$E2E_RATE" --prefix "e2e$$" --out "$work/sends.jsonl"
python3 "$here/webhook_load.py" report --sends "$work/sends.jsonl" --receiver "$work/receiver.jsonl" | grep -v '^RESULT'

if grep -q '"level":"\(error\|critical\)"' "$work"/*.log; then
  echo "== daemon errors:"; grep -h '"level":"\(error\|critical\)"' "$work"/*.log | head -5
fi
