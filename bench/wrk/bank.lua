-- The benchmark's requests to the bank API, one scenario per run:
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/bank.lua http://127.0.0.1:8080 -- get-account
--
-- This file and bench/seed.sql are all the harness knows of the API and the data; change them together when
-- the API changes. Settings come from the environment (bench/run sets them):
--   BENCH_ACCOUNTS   number of seeded accounts (ids as in bench/seed.sql)
--   BENCH_ACTIVE     accounts 1..BENCH_ACTIVE have long histories; the history scenario reads those
--   BENCH_POOL       the transfer scenario's accounts: 1..BENCH_POOL
--   BENCH_HOT        the contended transfer scenario's accounts: 1..BENCH_HOT
--   BENCH_API_KEY    sent as "Authorization: Bearer ..." on every request
--   BENCH_RUN_ID     unique per wrk run: Idempotency-Keys are "<run id>-<thread>-<n>", never reused
--
-- done() prints one line "BENCH_RESULT {json}" with the counts and latency percentiles that bench/run reads,
-- including every HTTP status seen (wrk itself only counts statuses above 399).

local function env_number(name)
  local value = tonumber(os.getenv(name) or "")
  if value == nil then
    error(name .. " is not set")
  end
  return value
end

local function account_id(n)
  return string.format("00000000-0000-7000-8000-%012x", n)
end

local function random_pair(size)
  local from = math.random(size)
  local to = math.random(size - 1)
  if to >= from then
    to = to + 1
  end
  return account_id(from), account_id(to)
end

local sequence = 0

local function next_key()
  sequence = sequence + 1
  return string.format("%s-%d-%d", run_id, thread_index, sequence)
end

local function headers(idempotent)
  local h = {
    ["Authorization"] = "Bearer " .. api_key,
    ["Accept"] = "application/json",
  }
  if idempotent then
    h["Content-Type"] = "application/json"
    h["Idempotency-Key"] = next_key()
  end
  return h
end

local function transfer(size)
  local from, to = random_pair(size)
  local body = string.format('{"fromAccountId":"%s","toAccountId":"%s","amount":%d,"description":"bench transfer"}',
    from, to, math.random(1, 100))
  return wrk.format("POST", "/v1/transfers", headers(true), body)
end

local scenarios = {
  ["get-account"] = function()
    return wrk.format("GET", "/v1/accounts/" .. account_id(math.random(accounts)), headers(false))
  end,
  ["history"] = function()
    return wrk.format("GET", "/v1/accounts/" .. account_id(math.random(active)) .. "/transactions?limit=50",
      headers(false))
  end,
  ["credit"] = function()
    local body = string.format('{"type":"CREDIT","amount":%d,"description":"bench credit"}', math.random(1, 10000))
    return wrk.format("POST", "/v1/accounts/" .. account_id(math.random(accounts)) .. "/transactions",
      headers(true), body)
  end,
  ["transfer"] = function()
    return transfer(pool)
  end,
  ["transfer-hot"] = function()
    return transfer(hot)
  end,
}

-- Every scenario above, one picked at random per request: the load that warms a fresh JVM before it is
-- measured, so that the JIT compiles each path with the profile of real, mixed traffic.
local names = {}
for name in pairs(scenarios) do
  table.insert(names, name)
end
table.sort(names)
scenarios["mixed"] = function()
  return scenarios[names[math.random(#names)]]()
end

-- Main state: remember the threads, so done() can add up their status counts.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

function init(args)
  scenario = scenarios[args[1]]
  if scenario == nil then
    error("unknown scenario " .. tostring(args[1]))
  end
  accounts = env_number("BENCH_ACCOUNTS")
  active = env_number("BENCH_ACTIVE")
  pool = env_number("BENCH_POOL")
  hot = env_number("BENCH_HOT")
  api_key = os.getenv("BENCH_API_KEY") or error("BENCH_API_KEY is not set")
  run_id = os.getenv("BENCH_RUN_ID") or error("BENCH_RUN_ID is not set")
  math.randomseed(os.time() * 1000 + thread_index)
  statuses = {}
end

function request()
  return scenario()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"statuses":{%s},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.timeout,
    table.concat(parts, ","), latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
