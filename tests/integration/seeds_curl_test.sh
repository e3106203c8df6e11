#!/usr/bin/env bash
# Runs the seeds' curl requests for subscribers and lists exactly as written (host, port and
# credentials substituted) against a real server, checking status codes and key fields.
#   seeds_curl_test.sh TIDINGS_BIN PLUGIN_DIR      (TIDINGS_TEST_STORE picks the store; see test_db.sh)
set -euo pipefail
bin=$1
plugins=$2
source "$(dirname "$0")/test_db.sh"

test_db_create seeds
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
password="seed-password-$RANDOM"
TIDINGS_APP__ADDRESS="127.0.0.1:$port" TIDINGS_DB__URL="$db_url" TIDINGS_PLUGINS__DIR="$plugins" \
  TIDINGS_ADMIN_USER=username TIDINGS_ADMIN_PASSWORD="$password" \
  "$bin" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  test_db_drop
  rm -f "$log"
}
trap cleanup EXIT
base="http://localhost:$port"
for _ in $(seq 1 100); do
  curl -sf -u "username:$password" "$base/api/health" >/dev/null && break
  sleep 0.1
done

fail() { echo "FAIL: $*"; echo "--- server log"; cat "$log"; exit 1; }
# expect STATUS FILE PYTHON-ASSERTION: checks the HTTP status and a condition on the JSON body `d`.
expect() {
  local want=$1 got=$2 body=$3 check=$4
  [ "$got" = "$want" ] || fail "expected HTTP $want, got $got: $(cat "$body")"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert $check, d" "$body" || fail "assertion $check on $(cat "$body")"
}
out=$(mktemp)

# An API token for the Bearer examples.
curl -s -u "username:$password" -X POST "$base/api/users" -H 'Content-Type: application/json' \
  -d '{"username":"integration","type":"api","user_role_id":1}' -o "$out"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["password"])' "$out")

# --- API Authentication
code=$(curl -s -o "$out" -w '%{http_code}' -u "username:$password" http://localhost:$port/api/subscribers)
expect 200 "$code" "$out" '"results" in d["data"]'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" http://localhost:$port/api/subscribers)
expect 200 "$code" "$out" '"results" in d["data"]'

# --- Lists: create, get all, update, delete
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -X POST "$base/api/lists" -d '{
  "name": "My List",
  "type": "public",
  "optin": "double",
  "tags": ["newsletter"]
}')
expect 200 "$code" "$out" 'd["data"]["name"] == "My List" and d["data"]["optin"] == "double" and d["data"]["tags"] == ["newsletter"]'
list_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["id"])' "$out")
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/lists")
expect 200 "$code" "$out" 'any(l["name"] == "My List" for l in d["data"]["results"])'

# --- Subscribers: create (the seeds' body, lists [1, 2] need two lists), get, update, delete
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X POST "$base/api/lists" -d '{"name": "Second"}'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -X POST "$base/api/subscribers" -d '{
  "email": "user@example.com",
  "name": "John Doe",
  "status": "enabled",
  "lists": [1, 2],
  "attribs": {"city": "New York"}
}')
expect 200 "$code" "$out" 'd["data"]["email"] == "user@example.com" and d["data"]["attribs"]["city"] == "New York" and len(d["data"]["lists"]) == 2'
sub_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["id"])' "$out")
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/subscribers/$sub_id")
expect 200 "$code" "$out" 'd["data"]["name"] == "John Doe"'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -X PUT "$base/api/subscribers/$sub_id" -d '{"email": "user@example.com", "name": "John Q. Doe", "lists": [1]}')
expect 200 "$code" "$out" 'd["data"]["name"] == "John Q. Doe" and len(d["data"]["lists"]) == 1'

# The integrations' bodies (WordPress, Django, Make.com, Zapier): lists + attribs with Bearer.
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -X POST "$base/api/subscribers" -d '{"email": "wp@example.com", "name": "WP User", "lists": [1], "attribs": {"source": "wordpress", "registration_date": "2024-01-15"}}')
expect 200 "$code" "$out" 'd["data"]["attribs"]["source"] == "wordpress"'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/subscribers?per_page=1000")
expect 200 "$code" "$out" 'len(d["data"]["results"]) == 2 and d["data"]["total"] == 2'

code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -X PUT "$base/api/lists/$list_id" -d '{"name": "My Renamed List"}')
expect 200 "$code" "$out" 'd["data"]["name"] == "My Renamed List"'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -X DELETE "$base/api/subscribers/$sub_id")
expect 200 "$code" "$out" 'd["data"] is True'
code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $token" -X DELETE "$base/api/lists/$list_id")
expect 200 "$code" "$out" 'd["data"] is True'

# --- Public API (002): public lists and the curl subscription example
curl -s -o "$out" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X POST "$base/api/lists" \
  -d '{"name": "Newsletter", "type": "public", "optin": "single", "description": "Weekly newsletter"}'
list_uuid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["uuid"])' "$out")
code=$(curl -s -o "$out" -w '%{http_code}' http://localhost:$port/api/public/lists)
expect 200 "$code" "$out" 'd["data"][0]["name"] == "Newsletter" and set(d["data"][0]) >= {"id","uuid","name","type","optin","description"}'
code=$(curl -s -o "$out" -w '%{http_code}' -X POST http://localhost:$port/api/public/subscription \
  -H 'Content-Type: application/json' \
  -d '{
    "email": "john@example.com",
    "name": "John Doe",
    "list_uuids": ["'"$list_uuid"'"]
  }')
expect 200 "$code" "$out" 'd["data"]["has_optin"] is False and "message" in d["data"]'

echo "seeds curl requests: all passed"
