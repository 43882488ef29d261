#!/usr/bin/env bash
# The run command: one TeamTalk.Orleans silo and one gateway on this machine, with our own MariaDB
# and Redis (data under .data/), demo users seeded. Ctrl-C stops everything it started.
# See docs/operations.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/servers.sh
source "$ROOT/scripts/lib/servers.sh"

usage() {
  cat <<'EOF'
usage: ./run.sh [--db CONNECTION_STRING] [--redis HOST:PORT] [options]

Without --db/--redis: installs MariaDB/Redis with apt when missing, runs our own mariadbd on
127.0.0.1:3307 and redis-server on 127.0.0.1:6380 with their data in .data/, migrates the schema
and seeds the demo users. Then builds (Release), starts one silo and one gateway, checks that
alice can log in, prints the addresses and waits; Ctrl-C stops everything it started.

  --db CS            use this existing MySQL/MariaDB database (connection string with Database=):
                     no MariaDB is started and nothing is seeded; the schema is migrated (safe
                     on an existing TeamTalk database)
  --redis HOST:PORT  use this existing Redis instead of starting ours
  --database NAME    database name on our own MariaDB (default: teamtalk)
  --mysql-port P     port of our own MariaDB (default: 3307)
  --redis-port P     port of our own Redis (default: 6380)
  --tcp-port P       gateway TeamTalk TCP port (default: 8000)
  --http-port P      gateway HTTP port, discovery /msg_server (default: 8080)
  --dashboard-port P silo dashboard port (default: 8090)
  --no-build         skip `dotnet build -c Release` (use the last build)
  --help             this text

Logs: .data/logs/ (build.log, admin.log, silo.log, gateway.log); MariaDB: .data/mariadb/mysqld.log.
EOF
}

db_cs=""
redis_addr=""
database=teamtalk
mysql_port=3307
redis_port=6380
tcp_port=8000
http_port=8080
dashboard_port=8090
build=1
while [ $# -gt 0 ]; do
  case $1 in
    --db) db_cs=${2:?--db needs a connection string}; shift 2 ;;
    --redis) redis_addr=${2:?--redis needs HOST:PORT}; shift 2 ;;
    --database) database=${2:?--database needs a name}; shift 2 ;;
    --mysql-port) mysql_port=${2:?}; shift 2 ;;
    --redis-port) redis_port=${2:?}; shift 2 ;;
    --tcp-port) tcp_port=${2:?}; shift 2 ;;
    --http-port) http_port=${2:?}; shift 2 ;;
    --dashboard-port) dashboard_port=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

DATA=$ROOT/.data
LOGS=$DATA/logs
mkdir -p "$LOGS"
CONFIG=Release
BIN_SILO=$ROOT/src/Silo/bin/$CONFIG/net10.0
BIN_GATEWAY=$ROOT/src/Gateway/bin/$CONFIG/net10.0
ADMIN_DLL=$ROOT/src/Admin/bin/$CONFIG/net10.0/TeamTalk.Orleans.Admin.dll

silo_pid=""
gateway_pid=""
# shellcheck disable=SC2317 # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  echo
  tt_log "stopping"
  # the gateway first (clients reconnect elsewhere), then the silo, then the servers
  tt_stop_pid "$gateway_pid" gateway
  tt_stop_pid "$silo_pid" silo
  tt_stop_started
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

command -v dotnet >/dev/null 2>&1 || tt_die "dotnet (SDK) not found in PATH"

t0=$(tt_now_ms)
if [ -z "$db_cs" ] || [ -z "$redis_addr" ]; then
  tt_install_servers
fi

seed=0
if [ -z "$db_cs" ]; then
  tt_mariadb_start "$DATA/mariadb" "$mysql_port"
  db_cs="$TT_MARIADB_CS;Database=$database"
  seed=1
fi
if [ -z "$redis_addr" ]; then
  tt_redis_start "$DATA/redis" "$redis_port"
  redis_addr=$TT_REDIS_ADDR
fi
t_servers=$(tt_now_ms)

cd "$ROOT"
if [ "$build" -eq 1 ]; then
  tt_log "dotnet build -c $CONFIG (log: $LOGS/build.log)"
  if ! dotnet build -c "$CONFIG" TeamTalk.Orleans.sln -nologo >"$LOGS/build.log" 2>&1; then
    grep -E 'error|Error' "$LOGS/build.log" | sort -u | tail -n 30 >&2 || true
    tt_die "build failed (log: $LOGS/build.log)"
  fi
fi
t_built=$(tt_now_ms)

[ -f "$ADMIN_DLL" ] || tt_die "$ADMIN_DLL is missing (build first)"
admin() {
  dotnet "$ADMIN_DLL" "$@" 2>>"$LOGS/admin.log"
}
tt_log "migrating the schema"
admin migrate --db "$db_cs" || tt_die "migrate failed (log: $LOGS/admin.log)"
if [ "$seed" -eq 1 ]; then
  admin seed-demo --db "$db_cs" || tt_die "seed-demo failed (log: $LOGS/admin.log)"
fi
t_ready=$(tt_now_ms)
tt_log "servers $(tt_secs "$t0" "$t_servers") s, build $(tt_secs "$t_servers" "$t_built") s, schema+seed $(tt_secs "$t_built" "$t_ready") s"

for port in "$tcp_port" "$http_port" "$dashboard_port"; do
  if tt_port_open "$port"; then
    tt_die "port $port on 127.0.0.1 is already in use (another run.sh?)"
  fi
done

[ -f "$BIN_SILO/TeamTalk.Orleans.Silo.dll" ] || tt_die "$BIN_SILO/TeamTalk.Orleans.Silo.dll is missing"
[ -f "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll" ] || tt_die "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll is missing"

cluster_args=(
  "--TeamTalk:Database:ConnectionString=$db_cs"
  "--TeamTalk:Cluster:Profile=Production"
)

# The silo joins the cluster before its HTTP endpoint (dashboard) binds: once the dashboard port
# answers, gateways can connect.
rc=0
tt_start_dotnet silo "$BIN_SILO" TeamTalk.Orleans.Silo.dll "$LOGS/silo.log" "$dashboard_port" 120 "${cluster_args[@]}" \
  "--TeamTalk:Redis:ConnectionString=$redis_addr" \
  "--TeamTalk:Dashboard:Port=$dashboard_port" \
  "--TeamTalk:Blobs:Directory=$DATA/files" || rc=$?
silo_pid=$TT_SERVER_PID
if [ "$rc" -eq 2 ]; then
  silo_pid=""
  tt_die "the silo exited during start-up (log: $LOGS/silo.log)"
elif [ "$rc" -ne 0 ]; then
  tt_log "warning: the silo's dashboard port $dashboard_port did not open within 120 s; starting the gateway anyway"
fi
t_silo=$(tt_now_ms)

rc=0
tt_start_dotnet gateway "$BIN_GATEWAY" TeamTalk.Orleans.Gateway.dll "$LOGS/gateway.log" "$tcp_port" 180 "${cluster_args[@]}" \
  "--TeamTalk:Gateway:TcpPort=$tcp_port" \
  "--TeamTalk:Gateway:HttpPort=$http_port" \
  "--TeamTalk:Blobs:Directory=$DATA/files" || rc=$?
gateway_pid=$TT_SERVER_PID
if [ "$rc" -eq 2 ]; then
  gateway_pid=""
  tt_die "the gateway exited during start-up (log: $LOGS/gateway.log)"
elif [ "$rc" -ne 0 ]; then
  tt_die "the gateway did not open TCP port $tcp_port within 180 s (log: $LOGS/gateway.log)"
fi
t_gateway=$(tt_now_ms)
tt_log "silo up in $(tt_secs "$t_ready" "$t_silo") s, gateway in $(tt_secs "$t_silo" "$t_gateway") s; total $(tt_secs "$t0" "$t_gateway") s"

login_status="not checked (--db given: demo users not seeded)"
if [ "$seed" -eq 1 ]; then
  tt_log "check-login alice"
  rc=0
  dotnet "$ADMIN_DLL" check-login --host 127.0.0.1 --port "$tcp_port" --user alice --password "teamtalk" \
    2>>"$LOGS/admin.log" || rc=$?
  case $rc in
    0) login_status="ok (alice logged in over TCP)" ;;
    2) login_status="not checked (Admin check-login unavailable or usage error; see $LOGS/admin.log)" ;;
    *) login_status="FAILED (exit $rc; see $LOGS/admin.log, $LOGS/gateway.log, $LOGS/silo.log)" ;;
  esac
fi

cat <<EOF

TeamTalk.Orleans is running.
  discovery (HTTP):   http://127.0.0.1:$http_port/msg_server
  TeamTalk TCP:       127.0.0.1:$tcp_port
  dashboard (silo):   http://127.0.0.1:$dashboard_port/dashboard
  demo users:         $(if [ "$seed" -eq 1 ]; then echo "alice, bob, carol, dave — password teamtalk"; else echo "(none seeded: existing database)"; fi)
  login check:        $login_status
  database:           $(printf '%s' "$db_cs" | sed 's/Password=[^;]*/Password=***/I')
  redis:              $redis_addr
  logs:               $LOGS/ (silo.log, gateway.log, admin.log, build.log)
Press Ctrl-C to stop.
EOF

# Wait until Ctrl-C or until the silo or the gateway exits on its own.
rc=0
wait -n "$silo_pid" "$gateway_pid" || rc=$?
if ! kill -0 "$silo_pid" 2>/dev/null; then
  tt_log "the silo exited (status $rc); see $LOGS/silo.log"
  silo_pid=""
else
  tt_log "the gateway exited (status $rc); see $LOGS/gateway.log"
  gateway_pid=""
fi
exit 1
