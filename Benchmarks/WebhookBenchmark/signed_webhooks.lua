-- wrk script: POSTs Standard-Webhooks-signed requests, each with its own webhook-id.
--
-- Lua in wrk has no HMAC, so webhook_load.py precomputes the requests into a file:
--   line 1: the body (compact JSON, one line), the same for every request;
--   then one line per request: "<webhook-id> <webhook-timestamp> <webhook-signature>".
-- Usage: wrk ... -s signed_webhooks.lua URL -- REQUEST_FILE THREADS
-- Thread k of n sends lines k, k+n, k+2n … so no two requests share an id. When a thread runs
-- out of lines it starts over (those requests are duplicates, answered from the idempotency
-- record); done() reports that, since it would flatter the figures.
-- WRK_DELAY_MS > 0 makes every connection wait that long between a response and its next
-- request: a paced load below saturation (wrk2 is not available here).

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

local threads = {}
local next_index = 1

function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local count = tonumber(args[2])
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  body = file:read("*l")
  requests = {}
  local line_no = 0
  for line in file:lines() do
    if line_no % count == index - 1 then
      local id, ts, sig = line:match("^(%S+) (%S+) (.+)$")
      requests[#requests + 1] = { id, ts, sig }
    end
    line_no = line_no + 1
  end
  file:close()
  position = 0
  wrapped = 0
end

function request()
  position = position + 1
  if position > #requests then
    position = 1
    wrapped = wrapped + 1
  end
  local r = requests[position]
  local headers = {
    ["Content-Type"] = "application/json",
    ["webhook-id"] = r[1],
    ["webhook-timestamp"] = r[2],
    ["webhook-signature"] = r[3],
  }
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests_)
  local wraps = 0
  for _, t in ipairs(threads) do
    wraps = wraps + (t:get("wrapped") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d wrapped=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, wraps))
end
