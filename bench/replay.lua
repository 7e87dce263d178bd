-- wrk script for bench/run: replays pre-built (pre-signed) requests.
-- WRK_REQUESTS names a Lua file returning {{method=, path=, headers={}, body=}, ...}.
-- One request: wrk formats it once and sends the same bytes every time.
-- Several: each connection's thread cycles through them in order.
-- done() prints one line "WRKJSON {...}" that bench/run parses.
local data = dofile(os.getenv("WRK_REQUESTS"))

if #data == 1 then
  local r = data[1]
  wrk.method = r.method
  wrk.path = r.path
  wrk.body = r.body
  for k, v in pairs(r.headers) do wrk.headers[k] = v end
else
  local reqs, n, i = {}, #data, 0
  for k, r in ipairs(data) do reqs[k] = wrk.format(r.method, r.path, r.headers, r.body) end
  function request()
    i = i % n + 1
    return reqs[i]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
