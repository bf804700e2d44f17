-- wrk script: POST /v1/events with the payload in payload.json over keep-alive connections.
-- Environment: HOOKLOG_API_KEY (a tenant's key), LOAD_PAYLOAD (the payload file).
local payload_file = assert(io.open(os.getenv("LOAD_PAYLOAD"), "r"))
wrk.method = "POST"
wrk.body = payload_file:read("*a"):gsub("%s+$", "")
payload_file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOOKLOG_API_KEY")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   accepted = 0
   refused = 0
end

function response(status, headers, body)
   if status == 202 then
      accepted = accepted + 1
   else
      refused = refused + 1
   end
end

function done(summary, latency, requests)
   local total_accepted, total_refused = 0, 0
   for _, thread in ipairs(threads) do
      total_accepted = total_accepted + thread:get("accepted")
      total_refused = total_refused + thread:get("refused")
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("RESULT hooklog accepted_per_s=%.0f p99_ms=%.2f p50_ms=%.2f accepted=%d refused=%d socket_errors=%d\n",
      total_accepted / seconds, latency:percentile(99) / 1000, latency:percentile(50) / 1000,
      total_accepted, total_refused,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
