-- wrk script: POST one body over one keep-alive connection, stop after MIDCALL_REQUESTS answers,
-- and print a RESULT line with the latency percentiles in microseconds.
-- Environment: MIDCALL_BODY (the body), MIDCALL_REQUESTS (how many), MIDCALL_AUTH (optional bearer key),
-- MIDCALL_EXPECT (optional: a substring every answer must contain, e.g. "completed").
wrk.method = "POST"
wrk.body = os.getenv("MIDCALL_BODY")
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("MIDCALL_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end
local limit = tonumber(os.getenv("MIDCALL_REQUESTS") or "5000")
local expect = os.getenv("MIDCALL_EXPECT") or ""

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
   answered = 0
   unexpected = 0
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= 200 or (expect ~= "" and not string.find(body, expect, 1, true)) then unexpected = unexpected + 1 end
   if answered >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local total, bad = 0, 0
   for _, thread in ipairs(threads) do
      total = total + thread:get("answered")
      bad = bad + thread:get("unexpected")
   end
   io.write(string.format("RESULT requests=%d unexpected=%d p50_us=%d p99_us=%d max_us=%d errors=%d\n",
      total, bad, latency:percentile(50), latency:percentile(99), latency.max,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
