# A fresh database for one scripted integration test, on the store TIDINGS_TEST_STORE names
# (postgres, the default, on the server TIDINGS_TEST_PG_URL; or sqlite, a file in a temporary
# directory). Sourced by the seeds_*_test.sh scripts.
#   test_db_create PREFIX   sets db_url
#   test_db_sql STATEMENT   prints the result unaligned ('|' between columns, no header)
#   test_db_drop            removes the database

test_db_create() {
  case "${TIDINGS_TEST_STORE:-postgres}" in
    sqlite)
      test_db_dir=$(mktemp -d)
      db_url="sqlite:$test_db_dir/tidings.db" ;;
    postgres)
      : "${TIDINGS_TEST_PG_URL:?TIDINGS_TEST_PG_URL is not set: run through scripts/test}"
      test_db_name="$1_$(date +%s%N | tail -c 9)"
      psql "$TIDINGS_TEST_PG_URL" -qc "CREATE DATABASE $test_db_name"
      db_url="${TIDINGS_TEST_PG_URL%/*}/$test_db_name" ;;
    *)
      echo "TIDINGS_TEST_STORE must be postgres or sqlite, not $TIDINGS_TEST_STORE" >&2
      return 1 ;;
  esac
}

test_db_sql() {
  case "$db_url" in
    sqlite:*) sqlite3 -batch -bail -list -noheader -cmd '.timeout 10000' "${db_url#sqlite:}" "$1" ;;
    *) psql "$db_url" -v ON_ERROR_STOP=1 -qAtc "$1" ;;
  esac
}

test_db_drop() {
  if [ -n "${test_db_dir:-}" ]; then
    rm -rf "$test_db_dir"
  elif [ -n "${test_db_name:-}" ]; then
    psql "$TIDINGS_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $test_db_name WITH (FORCE)" >/dev/null
  fi
}
