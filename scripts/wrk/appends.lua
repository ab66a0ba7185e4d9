-- wrk: appends of new player aggregates, EVENTS events per request (1: POST /events, more: POST /events/batch).
-- The body is the benchmark tool's (EventSourcing.Benchmarks EventBody), with a token from the TOKEN variable.
local events = tonumber(os.getenv("EVENTS") or "1")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function uuid()
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", math.random(0, 65535), math.random(0, 65535), math.random(0, 65535),
    math.random(0, 4095), math.random(32768, 49151), math.random(0, 65535), math.random(0, 65535), math.random(0, 65535))
end

local function event()
  return '{"aggregateId":"' .. uuid() .. '","aggregateType":"player","eventType":"PlayerLevelUp",' ..
    '"payload":{"newLevel":25,"experienceGained":1500},"metadata":{"source":"benchmark","gameMode":"ranked"}}'
end

function request()
  if events == 1 then
    return wrk.format("POST", "/api/v1/events/events", headers, event())
  end
  local batch = {}
  for i = 1, events do batch[i] = event() end
  return wrk.format("POST", "/api/v1/events/events/batch", headers, '{"events":[' .. table.concat(batch, ",") .. ']}')
end
