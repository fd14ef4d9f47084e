-- The wrk script of bench/web.c. When wrk is done it prints one line,
--
--   result GOOD SECONDS ERRORS P99_MS LOWER_BOUND
--
-- GOOD the answers below 400 within wrk's --timeout, ERRORS the answers
-- of 400 and above, those after the timeout and wrk's socket errors
-- (connect, read, write). P99_MS is -1 unless the script's arguments
-- are "latency KEEP TIMEOUT_MS SECONDS" (wrk -d5s --timeout 2s ... --
-- latency 5 2000 5, KEEP the connections of a wrk thread): then it counts
-- every request sent, the ones unanswered when wrk stops with the time
-- they had waited by then and those past the timeout as the timeout, so
-- that a server that stalls shows as slow rather than as fewer requests.
-- LOWER_BOUND is 1 when the 99th percentile is such a request: the true
-- one is longer.
--
-- wrk does not say which connection an answer came on, so a thread keeps
-- the times of its last KEEP requests, one a connection while every
-- connection is answered in turn: when one connection stalls and the
-- others go on, the stalled request's time is dropped, and the
-- percentile errs on the short side.

local ffi = require("ffi")

ffi.cdef [[
struct bench_timespec { long sec; long nsec; };
int clock_gettime(int clock, struct bench_timespec *ts);
]]

local CLOCK_MONOTONIC = 1

local function now_us()
   local ts = ffi.new("struct bench_timespec")
   ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
   return tonumber(ts.sec) * 1e6 + tonumber(ts.nsec) / 1e3
end

local threads, started = {}, nil

-- In wrk's main Lua state, as it starts the threads.
function setup(thread)
   started = started or now_us()
   table.insert(threads, thread)
end

-- In each thread's own Lua state; wrk sees request() defined after it.
function init(args)
   if args[1] ~= "latency" then
      return
   end
   local keep = tonumber(args[2])
   local req = wrk.format()
   local head, tail = 1, 0
   timeout_us = tonumber(args[3]) * 1000
   seconds = tonumber(args[4])
   sent = {}
   request = function()
      tail = tail + 1
      sent[tail] = now_us()
      if tail - head >= keep then
         sent[head] = nil
         head = head + 1
      end
      return req
   end
end

-- The 99th percentile of samples {microseconds, count, lower bound}.
local function p99(samples)
   local total, seen = 0, 0
   table.sort(samples, function(a, b) return a[1] < b[1] end)
   for _, s in ipairs(samples) do
      total = total + s[2]
   end
   for _, s in ipairs(samples) do
      seen = seen + s[2]
      if seen >= math.ceil(0.99 * total) and s[2] > 0 then
         return s[1] / 1000, s[3]
      end
   end
   return -1, false
end

function done(summary, latency, requests)
   local e = summary.errors
   local errors = e.status + e.timeout + e.connect + e.read + e.write
   local good = math.max(summary.requests - e.status - e.timeout, 0)
   local ms, bound = -1, false
   local timeout_us = threads[1]:get("timeout_us")

   if timeout_us then
      local samples = {}
      local stopped = started + threads[1]:get("seconds") * 1e6
      for i = 1, #latency do
         local v, n = latency(i)
         table.insert(samples, { v, n, false })
      end
      table.insert(samples, { timeout_us, e.timeout, true })
      for _, t in ipairs(threads) do
         for _, start in pairs(t:get("sent")) do
            table.insert(samples, { math.max(stopped - start, 0), 1, true })
         end
      end
      ms, bound = p99(samples)
   end
   io.write(string.format("result %d %.3f %d %.3f %d\n", good,
                          summary.duration / 1e6, errors, ms,
                          bound and 1 or 0))
end
