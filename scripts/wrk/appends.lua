-- wrk: appends of player events, EVENTS events per request (1: POST /events, more: POST /events/batch), with a token
-- from the TOKEN variable. As issue 16 measures: ~300-byte payloads over AGGREGATES aggregates (default 20,000; 0: a
-- new aggregate for every event), the same set in every wrk thread for one RUN (any text; bench-ratios gives the time).
local events = tonumber(os.getenv("EVENTS") or "1")
local aggregates = tonumber(os.getenv("AGGREGATES") or "20000")
local run = tonumber(os.getenv("RUN") or "0") % 0x10000
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function uuid()
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", math.random(0, 65535), math.random(0, 65535), math.random(0, 65535),
    math.random(0, 4095), math.random(32768, 49151), math.random(0, 65535), math.random(0, 65535), math.random(0, 65535))
end

local function aggregate()
  if aggregates == 0 then
    return uuid()
  end
  return string.format("00000000-%04x-4000-8000-%012x", run, math.random(1, aggregates))
end

local function event()
  -- The payload is 300 bytes: the level-up's two fields and the context a game service sends along.
  return '{"aggregateId":"' .. aggregate() .. '","aggregateType":"player","eventType":"PlayerLevelUp",' ..
    '"payload":{"newLevel":25,"experienceGained":1500,"reason":"quest_completed","questId":"' .. uuid() .. '",' ..
    '"matchId":"' .. uuid() .. '","zone":"northern-wastes","bonus":{"multiplier":1.5,"source":"weekend-event"},' ..
    '"client":{"build":"1.42.7","platform":"pc","region":"eu-west"},"rewards":["item-sword-01","item-shield-02"]},' ..
    '"metadata":{"source":"benchmark","gameMode":"ranked"}}'
end

function request()
  if events == 1 then
    return wrk.format("POST", "/api/v1/events/events", headers, event())
  end
  local batch = {}
  for i = 1, events do batch[i] = event() end
  return wrk.format("POST", "/api/v1/events/events/batch", headers, '{"events":[' .. table.concat(batch, ",") .. ']}')
end
