-- wrk: POST /api/subscribers with a unique e-mail per request (thread id + counter).
wrk.method = "POST"
wrk.headers["Authorization"] = os.getenv("TIDINGS_BENCH_AUTH")
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local prefix = os.getenv("TIDINGS_BENCH_PREFIX") or "bench"
function setup(thread)
  thread:set("tid", math.random(1, 1000000000))
end
function request()
  counter = counter + 1
  local body = string.format('{"email":"%s-%d-%d@example.com","name":"Bench","lists":[1],"attribs":{"n":%d}}',
    prefix, tid, counter, counter)
  return wrk.format(nil, nil, nil, body)
end
