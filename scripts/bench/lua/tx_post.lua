-- wrk: POST /api/tx to one subscriber with a template and data from the environment.
wrk.method = "POST"
wrk.headers["Authorization"] = os.getenv("TIDINGS_BENCH_AUTH")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"subscriber_emails":["' .. os.getenv("TIDINGS_BENCH_EMAIL") .. '"],"template_id":' ..
           os.getenv("TIDINGS_BENCH_TEMPLATE") .. ',"data":{"order_id":"A-1042","total":"42.00"}}'
