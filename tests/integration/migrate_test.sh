#!/usr/bin/env bash
# scripts/migrate-to-postgres end to end: data made through the API on SQLite reads back the same
# through the API on PostgreSQL (ids, UUIDs, attributes, memberships, counts, campaigns,
# templates, settings, users and their tokens), and a target in use is refused.
#   migrate_test.sh TIDINGS_BIN PLUGIN_DIR      (TIDINGS_TEST_PG_URL must be set)
set -euo pipefail
bin=$1
plugins=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
: "${TIDINGS_TEST_PG_URL:?TIDINGS_TEST_PG_URL is not set: run through scripts/test}"

work=$(mktemp -d)
pg_db="migrate_$(date +%s%N | tail -c 9)"
psql "$TIDINGS_TEST_PG_URL" -qc "CREATE DATABASE $pg_db"
pg_url="${TIDINGS_TEST_PG_URL%/*}/$pg_db"
password="migrate-password-$RANDOM"
pid=
stop_server() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}
cleanup() {
  stop_server
  psql "$TIDINGS_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { { echo "FAIL: $*"; [ -f "$work/log" ] && { echo "--- server log"; cat "$work/log"; }; } >&2; exit 1; }

# start_server DB_URL: starts tidings on a free port and waits for it.
start_server() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  TIDINGS_APP__ADDRESS="127.0.0.1:$port" TIDINGS_DB__URL="$1" TIDINGS_PLUGINS__DIR="$plugins" \
    TIDINGS_PLUGINS__ENABLED=messenger-smtp TIDINGS_ADMIN_USER=admin TIDINGS_ADMIN_PASSWORD="$password" \
    "$bin" >"$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -sf -u "admin:$password" "http://127.0.0.1:$port/api/health" >/dev/null && return 0
    sleep 0.1
  done
  fail "server on $1 did not start"
}
api() {  # api METHOD PATH [JSON]: prints the response body; fails on any status but 200
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' -u "admin:$password" -X "$1" "http://127.0.0.1:$port$2" \
    -H 'Content-Type: application/json' ${3:+-d "$3"})
  [ "$code" = 200 ] || fail "$1 $2 answered $code: $(cat "$work/body")"
  cat "$work/body"
}

# --- Data on SQLite, through the API.
start_server "sqlite:$work/tidings.db"
api POST /api/lists '{"name":"Weekly","type":"public","optin":"double","tags":["news","weekly"]}' >/dev/null
api POST /api/lists '{"name":"Staff","type":"private","optin":"single"}' >/dev/null
api POST /api/subscribers '{"email":"ann@example.com","name":"Ann","attribs":{"city":"Oslo","tags":["a","b"]},"lists":[1,2],"preconfirm_subscriptions":true}' >/dev/null
api POST /api/subscribers '{"email":"bob@example.com","name":"Bob \"Quoted\", Jr.","attribs":{},"lists":[1]}' >/dev/null
api POST /api/subscribers '{"email":"cy@example.com","name":"Cy","status":"blocklisted"}' >/dev/null
api POST /api/campaigns '{"name":"Spring","subject":"Hello {{ .Subscriber.FirstName }}","from_email":"News <news@example.com>","lists":[1],"content_type":"html","body":"<p>Hi</p>","tags":["spring"]}' >/dev/null
api PUT /api/settings '{"app.site_name":"Migrated Site"}' >/dev/null
token=$(api POST /api/users '{"username":"robot","type":"api","user_role_id":1}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["password"])')
snapshot() {
  for path in /api/subscribers /api/lists /api/campaigns /api/templates /api/users; do
    api GET "$path?per_page=all" | python3 -c '
import json, sys
d = json.load(sys.stdin)["data"]
rows = d["results"] if isinstance(d, dict) and "results" in d else d
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("loggedin_at",)}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(rows), sort_keys=True))'
  done
  api GET /api/settings | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["app.site_name"])'
}
snapshot >"$work/before"
stop_server

# --- Copy, then the same reads on PostgreSQL.
PATH="$(dirname "$bin"):$PATH" "$repo/scripts/migrate-to-postgres" "$pg_url" --from "sqlite:$work/tidings.db" --bin "$bin" \
  >"$work/migrate.out" 2>&1 || fail "migrate-to-postgres failed: $(cat "$work/migrate.out")"
start_server "$pg_url"
snapshot >"$work/after"
diff "$work/before" "$work/after" >"$work/diff" || fail "data differs after the copy: $(cat "$work/diff")"
grep -q 'Migrated Site' "$work/after" || fail "settings were not copied"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/lists")
[ "$code" = 200 ] || fail "the API token does not work after the copy ($code)"
# New rows continue the copied ids instead of colliding with them.
new_id=$(api POST /api/lists '{"name":"After","type":"private"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])')
[ "$new_id" = 3 ] || fail "a new list got id $new_id, expected 3"
stop_server

# --- A target that already holds data is refused and left alone.
if "$repo/scripts/migrate-to-postgres" "$pg_url" --from "sqlite:$work/tidings.db" --bin "$bin" >"$work/again" 2>&1; then
  fail "copying into a database in use succeeded"
fi
grep -q 'already holds data' "$work/again" || fail "unexpected refusal: $(cat "$work/again")"
echo "migrate-to-postgres: ok"
