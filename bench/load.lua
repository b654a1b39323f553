-- wrk script: organisations updating and submitting their demand at the same time, through the API.
--
-- bench/load.py writes the plan (one line per organisation: participation id, API token, first step)
-- to the file named by the environment variable BENCH_PLAN and gives each wrk thread its share. Every
-- request goes to the next organisation of the thread, round robin, so one organisation's requests
-- come hundreds of requests apart and never overlap; each organisation walks
--     PUT demand → submit → reopen → PUT demand → …
-- which are all allowed in turn, so any answer that is not 2xx is an error of the server.
-- BENCH_THINK_MS (default 0) is each client's mean pause between its answer and its next request.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function read_plan()
  local plan = {}
  for line in io.lines(os.getenv("BENCH_PLAN")) do
    local pid, token, step = line:match("^(%d+) (%S+) (%d+)$")
    if pid then
      table.insert(plan, {pid = pid, token = token, step = tonumber(step), sent = -1})
    end
  end
  return plan
end

function init(args)
  local all = read_plan()
  local count = tonumber(os.getenv("BENCH_THREADS") or "1")
  orgs = {}
  for i, org in ipairs(all) do
    if (i - 1) % count == thread_index then
      table.insert(orgs, org)
    end
  end
  items = {}
  for id in string.gmatch(os.getenv("BENCH_ITEMS"), "%d+") do
    table.insert(items, id)
  end
  bodies = {}
  for variant = 0, 7 do
    local lines = {}
    for n, id in ipairs(items) do
      table.insert(lines, string.format('{"item": %s, "quantity": "%d"}', id, (n * 7 + variant * 3) % 60 + 1))
    end
    bodies[variant] = '{"lines": [' .. table.concat(lines, ", ") .. "]}"
  end
  think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
  math.randomseed(os.time() + thread_index * 7919)
  by_pid = {}
  errors = 0
  first_errors = ""
  statuses = {}
end

-- People do not click in step: each pause is drawn evenly between 0 and twice BENCH_THINK_MS (so the mean
-- is BENCH_THINK_MS). A fixed pause would make all clients fire together, in bursts of 50 every pause.
function delay()
  if think <= 0 then
    return 0
  end
  return math.random(0, 2 * think)
end

-- The step of an organisation changes only when its answer arrives (response), never when a request is
-- built: wrk may build a request that it then does not send (a reconnect after gunicorn's sync worker
-- closed the connection), and the organisation must not skip a step for it.
function request()
  counter = counter + 1
  local org = orgs[(counter - 1) % #orgs + 1]
  by_pid[org.pid] = org
  local headers = {["Authorization"] = "Token " .. org.token, ["Content-Type"] = "application/json"}
  org.sent = org.step
  if org.step == 0 then
    return wrk.format("PUT", "/api/participations/" .. org.pid .. "/demand/", headers, bodies[counter % 8])
  elseif org.step == 1 then
    return wrk.format("POST", "/api/participations/" .. org.pid .. "/transitions/submit/", headers, "{}")
  else
    return wrk.format("POST", "/api/participations/" .. org.pid .. "/transitions/reopen/", headers, "{}")
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 then
    errors = errors + 1
    if #first_errors < 2000 then
      first_errors = first_errors .. status .. " " .. string.sub(body or "", 1, 300) .. "\n"
    end
    return
  end
  -- The answer is the participation: its id and state say what this organisation does next.
  local pid = string.match(body or "", '^{"id":(%d+)')
  local state = string.match(body or "", '"state":"(%a+)"')
  local org = pid and by_pid[pid]
  if org then
    if state == "submitted" then
      org.step = 2
    elseif org.sent == 0 then
      org.step = 1
    else
      org.step = 0
    end
  end
end

local function json_string(text)
  text = text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n"):gsub("[%c]", " ")
  return '"' .. text .. '"'
end

function done(summary, latency, requests)
  local errors_total, details, codes = 0, "", {}
  for _, thread in ipairs(threads) do
    errors_total = errors_total + thread:get("errors")
    details = details .. thread:get("first_errors")
    for code, n in pairs(thread:get("statuses")) do
      codes[code] = (codes[code] or 0) + n
    end
  end
  local code_list = {}
  for code, n in pairs(codes) do
    table.insert(code_list, string.format('"%d": %d', code, n))
  end
  io.write("BENCH-JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %d, "socket_errors": %d, "non_2xx": %d, "statuses": {%s}, "first_errors": %s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    errors_total, table.concat(code_list, ", "), json_string(details)))
end
