# Shared set-up for the HTTP benchmarks: a PostgreSQL cluster with stock durability settings, a
# Release tidings on it, an API token, and helpers that measure rates. Sourced by the scripts in
# scripts/bench/; the caller's `trap bench_cleanup EXIT` tears everything down.
#
# BENCH_STORE=sqlite runs the server on an SQLite file instead. The PostgreSQL cluster starts
# either way: its tools (pgbench, psql \copy) measure the machine's ceilings the figures are
# compared with.

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
  BENCH_PG_URL="${TIDINGS_PG_URL%/*}/bench"
  case "${BENCH_STORE:-postgres}" in
    postgres) BENCH_DB_URL=$BENCH_PG_URL ;;
    sqlite)
      BENCH_DB_URL="sqlite:$BENCH_WORK/tidings.db"
      # The ceiling tools write into the same table shapes on PostgreSQL.
      TIDINGS_DB__URL=$BENCH_PG_URL TIDINGS_PLUGINS__ENABLED= "$BENCH_BUILD/bin/tidings" --install >/dev/null 2>&1 ;;
    *) echo "BENCH_STORE must be postgres or sqlite" >&2; return 1 ;;
  esac
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

# bench_sql STATEMENTS: runs SQL on the server's database (psql or sqlite3), unaligned output.
bench_sql() {
  case "$BENCH_DB_URL" in
    sqlite:*) sqlite3 -batch -bail -cmd '.timeout 30000' "${BENCH_DB_URL#sqlite:}" "$1" ;;
    *) psql "$BENCH_DB_URL" -v ON_ERROR_STOP=1 -qAtc "$1" ;;
  esac
}

# bench_fill_list LIST COUNT PREFIX: COUNT confirmed subscribers of LIST, in one statement.
bench_fill_list() {
  local list=$1 count=$2 prefix=$3
  case "$BENCH_DB_URL" in
    sqlite:*)
      bench_sql "BEGIN; WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $count)
          INSERT INTO subscribers (email, name, attribs) SELECT '$prefix' || n || '@bench.test', 'Reader Number ' || n,
          json_object('n', n) FROM g;
        INSERT INTO subscriber_lists (subscriber_id, list_id, status) SELECT id, $list, 'confirmed' FROM subscribers
          WHERE email LIKE '$prefix%@bench.test'; COMMIT; ANALYZE;" >/dev/null ;;
    *)
      bench_sql "WITH s AS (INSERT INTO subscribers (email, name, attribs)
          SELECT '$prefix' || n || '@bench.test', 'Reader Number ' || n, jsonb_build_object('n', n)
          FROM generate_series(1, $count) n RETURNING id)
        INSERT INTO subscriber_lists (subscriber_id, list_id, status) SELECT id, $list, 'confirmed' FROM s" >/dev/null
      psql "$BENCH_DB_URL" -q -c "VACUUM ANALYZE subscribers" -c "VACUUM ANALYZE subscriber_lists" >/dev/null ;;
  esac
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
  pgbench -n -M prepared -c 32 -j 2 -T "$1" -f "$BENCH_WORK/insert.sql" "$BENCH_PG_URL" 2>/dev/null | awk '/^tps/ {print int($3)}'
}

# ratio A B: A / B with two decimals.
ratio() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }
