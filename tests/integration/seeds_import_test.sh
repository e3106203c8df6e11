#!/usr/bin/env bash
# Runs the seeds' import examples as written — the curl upload and the Python "import from API
# response" script — against a real server (host, port and token substituted; the external API
# the Python example reads is a local stub serving two users), then checks what landed.
#   seeds_import_test.sh TIDINGS_BIN PLUGIN_DIR      (TIDINGS_TEST_STORE picks the store; see test_db.sh)
set -euo pipefail
bin=$1
plugins=$2
source "$(dirname "$0")/test_db.sh"
py=/usr/bin/python3  # Debian's, with python3-requests (scripts/lib/deps.sh)
here=$(cd "$(dirname "$0")" && pwd)

test_db_create seedsimp
free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
stub_port=$(free_port)
work=$(mktemp -d)
password="seed-password-$RANDOM"
TIDINGS_APP__ADDRESS="127.0.0.1:$port" TIDINGS_DB__URL="$db_url" TIDINGS_PLUGINS__DIR="$plugins" \
  TIDINGS_PLUGINS__ENABLED=importer-csv TIDINGS_ADMIN_USER=username TIDINGS_ADMIN_PASSWORD="$password" \
  "$bin" >"$work/server.log" 2>&1 &
pid=$!
mkdir "$work/stub"
echo '[{"id": 7, "email": "ext1@example.com", "name": "Ext One"}, {"id": 8, "email": "ext2@example.com", "name": "Ext Two"}]' \
  >"$work/stub/users"
(cd "$work/stub" && exec $py -m http.server "$stub_port" --bind 127.0.0.1 >/dev/null 2>&1) &
stub=$!
cleanup() {
  kill "$pid" "$stub" 2>/dev/null || true
  wait "$pid" "$stub" 2>/dev/null || true
  test_db_drop
  rm -rf "$work"
}
trap cleanup EXIT
base="http://localhost:$port"
for _ in $(seq 1 100); do
  curl -sf -u "username:$password" "$base/api/health" >/dev/null && curl -sf "http://127.0.0.1:$stub_port/users" >/dev/null && break
  sleep 0.1
done
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$work/server.log"; exit 1; }

token=$(curl -s -u "username:$password" -X POST "$base/api/users" -H 'Content-Type: application/json' \
  -d '{"username":"integration","type":"api","user_role_id":1}' | $py -c 'import json,sys; print(json.load(sys.stdin)["data"]["password"])')
for name in one two; do
  curl -sf -u "username:$password" -X POST "$base/api/lists" -H 'Content-Type: application/json' -d "{\"name\":\"$name\"}" >/dev/null
done
wait_import() {
  for _ in $(seq 1 100); do
    state=$(curl -s -u "username:$password" "$base/api/import/subscribers")
    case "$state" in *'"importing"'*|*'"stopping"'*) sleep 0.1 ;; *) echo "$state"; return ;; esac
  done
  fail "import did not end: $state"
}

# --- Import CSV Data (curl, as written), with the CSV format shown.
cd "$work"
cat > subscribers.csv <<'CSV'
email,name,attributes
user1@example.com,John Doe,"{""city"": ""NYC"", ""plan"": ""premium""}"
user2@example.com,Jane Smith,"{""city"": ""LA""}"
CSV
out=$(curl -X POST http://localhost:$port/api/import/subscribers \
  -H "Authorization: Bearer $token" \
  -F "mode=subscribe" \
  -F "lists=1,2" \
  -F "overwrite=true" \
  -F "file=@subscribers.csv")
echo "$out" | grep -q '"status":"importing"' || fail "curl import answered $out"
state=$(wait_import)
echo "$state" | grep -q '"status":"finished"' && echo "$state" | grep -q '"imported":2' || fail "curl import ended $state"
got=$(test_db_sql "SELECT s.email || '|' || s.name || '|' || (s.attribs->>'city') || '|' || (s.attribs->>'plan')
  FROM subscribers s WHERE email = 'user1@example.com'")
[ "$got" = "user1@example.com|John Doe|NYC|premium" ] || fail "user1 stored as $got"
got=$(test_db_sql "SELECT sl.list_id || ':' || sl.status FROM subscriber_lists sl JOIN subscribers s ON s.id = sl.subscriber_id
  WHERE s.email = 'user1@example.com' ORDER BY sl.list_id" | paste -sd,)
[ "$got" = "1:unconfirmed,2:unconfirmed" ] || fail "user1 subscribed as $got"

# --- Import from API Response (Python, as written; URLs and token substituted).
sed -n '/^import requests$/,/^)$/p' "$here/seeds_import_example.py" |
  sed -e "s#https://external-api.com/users#http://127.0.0.1:$stub_port/users#" \
      -e "s#http://localhost:9000#http://localhost:$port#" \
      -e "s#'Bearer token'#'Bearer $token'#" >example.py
echo 'print(response.status_code, response.text)' >>example.py
result=$($py example.py) || fail "python example failed: $result"
case "$result" in "200 "*) ;; *) fail "python example answered $result" ;; esac
state=$(wait_import)
echo "$state" | grep -q '"status":"finished"' && echo "$state" | grep -q '"imported":2' || fail "python import ended $state"
got=$(test_db_sql "SELECT email || '|' || name || '|' || (attribs->>'source') || '|' || (attribs->>'id')
  FROM subscribers WHERE email LIKE 'ext%' ORDER BY email" | paste -sd';')
[ "$got" = "ext1@example.com|Ext One|external_api|7;ext2@example.com|Ext Two|external_api|8" ] || fail "python rows stored as $got"
echo "seeds import examples: ok"
