# Shared set-up for the HTTP benchmarks: a PostgreSQL cluster with stock durability settings, a
# Release tidings on it, an API token, and helpers that measure rates. Sourced by the scripts in
# scripts/bench/; the caller's `trap bench_cleanup EXIT` tears everything down.

source scripts/lib/deps.sh
source scripts/lib/pg.sh

bench_build() {
  BENCH_BUILD=${BUILD_DIR:-build-release}
  if [ ! -x "$BENCH_BUILD/bin/tidings" ]; then
    cmake -S . -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIDINGS_BUILD_TESTS=OFF >/dev/null
    ninja -C "$BENCH_BUILD" >/dev/null
  fi
}

# bench_start [extra env assignments...]: sets BENCH_WORK, BENCH_DB_URL, BENCH_BASE, TIDINGS_BENCH_AUTH.
bench_start() {
  BENCH_WORK=$(mktemp -d /tmp/tidings-bench.XXXXXX)
  tidings_pg_start "$BENCH_WORK/pg" "$(tidings_free_port)"
  psql "$TIDINGS_PG_URL" -qc 'CREATE DATABASE bench'
  BENCH_DB_URL="${TIDINGS_PG_URL%/*}/bench"
  local port
  port=$(tidings_free_port)
  env TIDINGS_APP__ADDRESS="127.0.0.1:$port" TIDINGS_DB__URL="$BENCH_DB_URL" \
    TIDINGS_ADMIN_USER=admin TIDINGS_ADMIN_PASSWORD=bench-password \
    TIDINGS_LOG__ACCESS=false "$@" "$BENCH_BUILD/bin/tidings" >"$BENCH_WORK/tidings.log" 2>&1 &
  BENCH_PID=$!
  BENCH_BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf -u admin:bench-password "$BENCH_BASE/api/health" >/dev/null && break; sleep 0.1; done
  local token
  token=$(curl -sf -u admin:bench-password -H 'Content-Type: application/json' -X POST "$BENCH_BASE/api/users" \
    -d '{"username":"bench","type":"api","user_role_id":1}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["password"])')
  export TIDINGS_BENCH_AUTH="Bearer $token"
}

bench_cleanup() {
  [ -n "${BENCH_PID:-}" ] && kill "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null
  [ -n "${BENCH_WORK:-}" ] && tidings_pg_stop "$BENCH_WORK/pg" && rm -rf "$BENCH_WORK"
  return 0
}

# wrk_rate ARGS...: requests per second of a wrk run.
wrk_rate() {
  wrk "$@" 2>/dev/null | awk '/Requests\/sec/ {print int($2)}'
}

# median_ms URL: median time of 20 sequential authenticated GETs, in milliseconds.
median_ms() {
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: $TIDINGS_BENCH_AUTH" "$1"
  done | sort -n | sed -n '10p' | awk '{printf "%.1f", $1 * 1000}'
}

# pgbench_insert_tps SECONDS: single-row subscriber inserts, 32 clients, prepared statements.
pgbench_insert_tps() {
  cat > "$BENCH_WORK/insert.sql" <<'PGB'
\set n random(1, 1000000000)
INSERT INTO subscribers (email, name) VALUES ('pgb' || :n || '-' || :client_id || '@example.com', 'P') ON CONFLICT DO NOTHING;
PGB
  pgbench -n -M prepared -c 32 -j 2 -T "$1" -f "$BENCH_WORK/insert.sql" "$BENCH_DB_URL" 2>/dev/null | awk '/^tps/ {print int($3)}'
}

# ratio A B: A / B with two decimals.
ratio() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }
