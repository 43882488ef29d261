#!/usr/bin/env bash
# The test command: a private MariaDB on a free loopback port, build, every test project under
# tests/ one after another, then one summary line "N passed, N failed". Exit status 0 only when the
# build succeeded and no test failed. See docs/operations.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/servers.sh
source "$ROOT/scripts/lib/servers.sh"

usage() {
  cat <<'EOF'
usage: ./test.sh [--filter EXPR] [--project NAME] [--keep] [--help]

Starts its own mariadbd (installed with apt when missing, as is redis-server, which only the Redis
import test starts, privately) on a free loopback port in a temporary directory, builds TeamTalk.Orleans.sln (Release), runs `dotnet test` for every
project under tests/ one after another, stops the servers and prints "N passed, N failed".

  --filter EXPR    passed to every `dotnet test --filter` (e.g. "FullyQualifiedName~Migration")
  --project NAME   run only test projects whose directory name contains NAME (repeatable)
  --keep           keep the temporary directory (server data and logs) for inspection
  --help           this text

Exported to the tests:
  TT_TEST_MYSQL          root connection string without a database (Server=127.0.0.1;Port=..;User ID=root;Password=..)
  TT_MARIADBD, TT_MARIADB_INSTALL_DB, TT_REDIS_SERVER, TT_PROMETHEUS
                         absolute paths of the server binaries (for tests that start private servers)
Test results (trx) are written to TestResults/test-sh/.
EOF
}

filter=""
keep=0
projects_wanted=()
while [ $# -gt 0 ]; do
  case $1 in
    --filter) filter=${2:?--filter needs a value}; shift 2 ;;
    --project) projects_wanted+=("${2:?--project needs a value}"); shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "test.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/tt-test.XXXXXX)
# shellcheck disable=SC2317 # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  tt_stop_started
  if [ "$keep" -eq 1 ]; then
    tt_log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

command -v dotnet >/dev/null 2>&1 || tt_die "dotnet (SDK) not found in PATH"

t_start=$(tt_now_ms)
tt_install_servers
# The voice tests decode with libspeex (the gateway's P/Invoke and the tests' encoder): installed, never skipped.
tt_need_libspeex "$ROOT/TestResults/install.log"
t_installed=$(tt_now_ms)
tt_mariadb_start_free "$WORK/mariadb"
t_servers=$(tt_now_ms)

TT_TEST_MYSQL=$TT_MARIADB_CS
TT_MARIADBD=$(tt_find_bin mariadbd)
TT_MARIADB_INSTALL_DB=$(tt_find_bin mariadb-install-db)
TT_REDIS_SERVER=$(tt_find_bin redis-server)
TT_PROMETHEUS=$(tt_find_bin prometheus)
export TT_TEST_MYSQL TT_MARIADBD TT_MARIADB_INSTALL_DB TT_REDIS_SERVER TT_PROMETHEUS
tt_log "MariaDB ready in $(tt_secs "$t_installed" "$t_servers") s (install step $(tt_secs "$t_start" "$t_installed") s)"

cd "$ROOT"
tt_log "dotnet build -c Release TeamTalk.Orleans.sln"
if ! dotnet build -c Release TeamTalk.Orleans.sln -nologo; then
  tt_log "build failed"
  echo "build failed: no tests run"
  exit 1
fi
tt_build_web "$ROOT" "$ROOT/TestResults/web-build.log"
tt_need_chromium "$ROOT/TestResults/web-build.log"

RESULTS=$ROOT/TestResults/test-sh
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.trx "$RESULTS"/*.log

mapfile -t projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.csproj' | sort)
total_passed=0
total_failed=0
overall=0
summary=()
for project in "${projects[@]}"; do
  name=$(basename "$(dirname "$project")")
  if [ "${#projects_wanted[@]}" -gt 0 ]; then
    match=0
    for wanted in "${projects_wanted[@]}"; do
      case $name in *"$wanted"*) match=1 ;; esac
    done
    [ "$match" -eq 1 ] || continue
  fi

  args=(test "$project" -c Release --no-build --nologo
    --logger "console;verbosity=normal"
    --logger "trx;LogFileName=$name.trx"
    --results-directory "$RESULTS")
  if [ -n "$filter" ]; then
    args+=(--filter "$filter")
  fi
  tt_log "dotnet test $project"
  rc=0
  dotnet "${args[@]}" 2>&1 | tee "$RESULTS/$name.log" || rc=${PIPESTATUS[0]}

  passed=0
  failed=0
  trx=$RESULTS/$name.trx
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
    get() { printf '%s\n' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$(get passed)
    failed=$(($(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    passed=${passed:-0}
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # the run failed without a failed test in its results (crash, no results): count it
  fi
  if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
    overall=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("$(printf '  %-28s %5s passed, %s failed (exit %s)' "$name" "$passed" "$failed" "$rc")")
done

# The failures again, at the end where a reader of the last lines (a CI log's tail) sees them.
failures=$(for log in "$RESULTS"/*.log; do
  [ -f "$log" ] || continue
  awk '/^ *Failed [A-Za-z_]/ { n = 24 } n > 0 { print; n-- }' "$log"
done)
if [ -n "$failures" ]; then
  echo
  echo "Failed tests (the first lines of each):"
  printf '%s\n' "$failures" | cut -c1-300
fi

echo
echo "Test projects:"
printf '%s\n' "${summary[@]}"
echo
echo "$total_passed passed, $total_failed failed"
exit "$overall"
