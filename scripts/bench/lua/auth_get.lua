-- wrk: GET with the Authorization header from the environment.
wrk.headers["Authorization"] = os.getenv("TIDINGS_BENCH_AUTH")
