-- wrk script: POST /v1/events with the payload in payload.json over keep-alive connections.
-- Environment: HOOKLOG_API_KEY (a tenant's key), LOAD_PAYLOAD (the payload file).
--
-- There is no response() callback: wrk would then parse every response into Lua, which costs CPU
-- on the same cores the server runs on. wrk counts every answer with a status above 399 in
-- summary.errors.status by itself, and Hooklog answers this request only 202 or an error status,
-- so accepted = answered - errors.status.
local payload_file = assert(io.open(os.getenv("LOAD_PAYLOAD"), "r"))
wrk.method = "POST"
wrk.body = payload_file:read("*a"):gsub("%s+$", "")
payload_file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOOKLOG_API_KEY")

function done(summary, latency, requests)
   local refused = summary.errors.status
   local accepted = summary.requests - refused
   local seconds = summary.duration / 1e6
   io.write(string.format("RESULT hooklog accepted_per_s=%.0f p99_ms=%.2f p50_ms=%.2f accepted=%d refused=%d socket_errors=%d\n",
      accepted / seconds, latency:percentile(99) / 1000, latency:percentile(50) / 1000,
      accepted, refused,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
