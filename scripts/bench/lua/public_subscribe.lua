-- wrk: POST /api/public/subscription with a unique e-mail per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local list_uuid = os.getenv("TIDINGS_BENCH_LIST_UUID")
local prefix = os.getenv("TIDINGS_BENCH_PREFIX") or "pub"
local counter = 0
function setup(thread)
  thread:set("tid", math.random(1, 1000000000))
end
function request()
  counter = counter + 1
  local body = string.format('{"email":"%s-%d-%d@example.com","name":"Reader","list_uuids":["%s"]}',
    prefix, tid, counter, list_uuid)
  return wrk.format(nil, nil, nil, body)
end
