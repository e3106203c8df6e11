# A throwaway or persistent PostgreSQL 15 cluster on 127.0.0.1, for tests and for scripts/run.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS user.

TIDINGS_PG_BIN=${TIDINGS_PG_BIN:-/usr/lib/postgresql/15/bin}

tidings_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

tidings_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# tidings_pg_start DIR PORT [extra postgres -c options...]
# Creates the cluster in DIR if needed and starts it; sets TIDINGS_PG_URL (superuser, db postgres).
tidings_pg_start() {
  local dir=$1 port=$2
  shift 2
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    chmod a+x "$(dirname "$dir")"  # the cluster owner must be able to reach its directory
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    tidings_pg_as_owner "$TIDINGS_PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
  fi
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
  local extra
  for extra in "$@"; do opts="$opts -c $extra"; done
  if ! tidings_pg_as_owner "$TIDINGS_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    tidings_pg_as_owner "$TIDINGS_PG_BIN/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/postgres.log" -w start >/dev/null
  fi
  TIDINGS_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  export TIDINGS_PG_URL
}

tidings_pg_stop() {
  local dir=$1
  tidings_pg_as_owner "$TIDINGS_PG_BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}
