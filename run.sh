#!/usr/bin/env bash
# The run command: one TeamTalk.Orleans silo and one gateway on this machine, with our own MariaDB
# (data under .data/), demo users seeded; Redis only when asked (for `Admin import-redis`). Ctrl-C stops everything it started.
# See docs/operations.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/servers.sh
source "$ROOT/scripts/lib/servers.sh"

usage() {
  cat <<'EOF'
usage: ./run.sh [--db CONNECTION_STRING] [--listen ADDR] [--advertise ADDR] [--with-redis | --redis HOST:PORT] [options]

Without --db: installs MariaDB with apt when missing, runs our own mariadbd on 127.0.0.1:3307 with
its data in .data/, migrates the schema and seeds the demo users. Then builds (Release), starts one
silo and one gateway, checks that alice can log in, prints the addresses and waits; Ctrl-C stops
everything it started. Nothing needs Redis; it is only the source of `Admin import-redis`.

  --db CS            use this existing MySQL/MariaDB database (connection string with Database=):
                     no MariaDB is started and nothing is seeded; the schema is migrated (safe
                     on an existing TeamTalk database)
  --listen ADDR      gateway bind address (default 127.0.0.1; 0.0.0.0 to serve other machines)
  --advertise ADDR   address discovery hands to clients, and the default host of the msfs and
                     discovery URLs it hands out (default: the --listen address; with 0.0.0.0 the
                     first address of `hostname -I`)
  --with-redis       also start our own redis-server on 127.0.0.1:6380 (data in .data/redis) and
                     print the import-redis command for it
  --redis HOST:PORT  an existing (original TeamTalk) Redis: print the import-redis command for it
  --database NAME    database name on our own MariaDB (default: teamtalk)
  --mysql-port P     port of our own MariaDB (default: 3307)
  --redis-port P     port of our own Redis with --with-redis (default: 6380)
  --tcp-port P       gateway TeamTalk TCP port (default: 8000)
  --http-port P      gateway HTTP port, discovery /msg_server (default: 8080)
  --dashboard-port P silo dashboard port (default: 8090; the dashboard stays on 127.0.0.1)
  --msfs-port P      gateway msfs port, image and voice store (default: 8700)
  --file-port P      gateway file transfer TCP port (default: 8600)
  --admin-port P     gateway back-office API port, loopback only (default: 8400); its key is
                     .data/api.key (created when missing); the admin console is at /admin
                     there (administrator admin, password in .data/admin.password)
  --no-build         skip `dotnet build -c Release` (use the last build)
  --help             this text

Logs: .data/logs/ (build.log, web.log, admin.log, silo.log, gateway.log); MariaDB: .data/mariadb/mysqld.log.
EOF
}

db_cs=""
redis_addr=""
with_redis=0
listen=127.0.0.1
advertise=""
database=teamtalk
mysql_port=3307
redis_port=6380
tcp_port=8000
http_port=8080
msfs_port=8700
file_port=8600
dashboard_port=8090
admin_port=8400
build=1
while [ $# -gt 0 ]; do
  case $1 in
    --db) db_cs=${2:?--db needs a connection string}; shift 2 ;;
    --redis) redis_addr=${2:?--redis needs HOST:PORT}; shift 2 ;;
    --with-redis) with_redis=1; shift ;;
    --listen) listen=${2:?--listen needs an address}; shift 2 ;;
    --advertise) advertise=${2:?--advertise needs an address}; shift 2 ;;
    --database) database=${2:?--database needs a name}; shift 2 ;;
    --mysql-port) mysql_port=${2:?}; shift 2 ;;
    --redis-port) redis_port=${2:?}; shift 2 ;;
    --tcp-port) tcp_port=${2:?}; shift 2 ;;
    --http-port) http_port=${2:?}; shift 2 ;;
    --msfs-port) msfs_port=${2:?}; shift 2 ;;
    --file-port) file_port=${2:?}; shift 2 ;;
    --dashboard-port) dashboard_port=${2:?}; shift 2 ;;
    --admin-port) admin_port=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$with_redis" -eq 1 ] && [ -n "$redis_addr" ]; then
  echo "run.sh: --with-redis and --redis exclude each other" >&2
  exit 2
fi
case $listen in
  0.0.0.0 | :: | '[::]') wildcard=1 ;;
  *) wildcard=0 ;;
esac
if [ -z "$advertise" ]; then
  advertise=$listen
  if [ "$wildcard" -eq 1 ]; then
    advertise=$({ hostname -I 2>/dev/null || true; } | awk '{print $1}')
    advertise=${advertise:-127.0.0.1}
  fi
fi
# where this script itself reaches the gateway
if [ "$wildcard" -eq 1 ]; then local_host=127.0.0.1; else local_host=$listen; fi
case $advertise in *:*) url_host="[$advertise]" ;; *) url_host=$advertise ;; esac
discovery_url="http://$url_host:$http_port/msg_server"

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
if [ -z "$db_cs" ] || [ "$with_redis" -eq 1 ]; then
  tt_install_servers
fi

seed=0
if [ -z "$db_cs" ]; then
  tt_mariadb_start "$DATA/mariadb" "$mysql_port"
  db_cs="$TT_MARIADB_CS;Database=$database"
  seed=1
fi
if [ "$with_redis" -eq 1 ]; then
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
if [ "$build" -eq 1 ] || [ ! -f "$ROOT/web/dist/index.html" ]; then
  tt_build_web "$ROOT" "$LOGS/web.log"
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

# The back-office API's key: 32 random bytes as hex, readable by this user only; kept across runs.
API_KEY_FILE=$DATA/api.key
if [ ! -s "$API_KEY_FILE" ]; then
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$API_KEY_FILE")
  tt_log "created the back-office API key $API_KEY_FILE"
fi
chmod 600 "$API_KEY_FILE"

# The admin console's administrator (our own database only): a random password, readable by this user only, kept
# across runs; set-admin creates the IMAdmin row 'admin' or sets its password to the file's.
ADMIN_PASSWORD_FILE=$DATA/admin.password
if [ "$seed" -eq 1 ]; then
  if [ ! -s "$ADMIN_PASSWORD_FILE" ]; then
    (umask 077 && od -An -tx1 -N12 /dev/urandom | tr -d ' \n' >"$ADMIN_PASSWORD_FILE")
    tt_log "created the admin console password $ADMIN_PASSWORD_FILE"
  fi
  chmod 600 "$ADMIN_PASSWORD_FILE"
  admin set-admin --db "$db_cs" --name admin --password-file "$ADMIN_PASSWORD_FILE" >/dev/null || tt_die "set-admin failed (log: $LOGS/admin.log)"
fi

for port in "$tcp_port" "$http_port" "$msfs_port" "$file_port" "$dashboard_port" "$admin_port"; do
  if tt_port_open "$port"; then
    tt_die "port $port on 127.0.0.1 is already in use (another run.sh?)"
  fi
done

[ -f "$BIN_SILO/TeamTalk.Orleans.Silo.dll" ] || tt_die "$BIN_SILO/TeamTalk.Orleans.Silo.dll is missing"
[ -f "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll" ] || tt_die "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll is missing"

cluster_args=(
  "--TeamTalk:Database:ConnectionString=$db_cs"
  "--TeamTalk:Cluster:Profile=Production"
  "--TeamTalk:Blobs:Directory=$DATA/files"
)

# The silo joins the cluster before its HTTP endpoint (dashboard) binds: once the dashboard port
# answers, gateways can connect.
rc=0
tt_start_dotnet silo "$BIN_SILO" TeamTalk.Orleans.Silo.dll "$LOGS/silo.log" "$dashboard_port" 120 "${cluster_args[@]}" \
  "--TeamTalk:Dashboard:Port=$dashboard_port" || rc=$?
silo_pid=$TT_SERVER_PID
if [ "$rc" -eq 2 ]; then
  silo_pid=""
  tt_die "the silo exited during start-up (log: $LOGS/silo.log)"
elif [ "$rc" -ne 0 ]; then
  tt_log "warning: the silo's dashboard port $dashboard_port did not open within 120 s; starting the gateway anyway"
fi
t_silo=$(tt_now_ms)

rc=0
TT_WAIT_HOST=$local_host
tt_start_dotnet gateway "$BIN_GATEWAY" TeamTalk.Orleans.Gateway.dll "$LOGS/gateway.log" "$tcp_port" 180 "${cluster_args[@]}" \
  "--TeamTalk:Gateway:TcpPort=$tcp_port" \
  "--TeamTalk:Gateway:HttpPort=$http_port" \
  "--TeamTalk:Gateway:ListenAddress=$listen" \
  "--TeamTalk:Gateway:AdvertisedAddress=$advertise" \
  "--TeamTalk:Gateway:MsfsPort=$msfs_port" \
  "--TeamTalk:Gateway:FileTcpPort=$file_port" \
  "--TeamTalk:Gateway:AdminHttpPort=$admin_port" "--TeamTalk:Gateway:AdminApiKeyFile=$API_KEY_FILE" \
  "--TeamTalk:Gateway:AdminConsoleKeysDirectory=$DATA/admin-console-keys" \
  "--TeamTalk:Gateway:AdminDashboardUrl=http://127.0.0.1:$dashboard_port/dashboard" \
  "--TeamTalk:Gateway:WebClient:Directory=$ROOT/web/dist" || rc=$?
TT_WAIT_HOST=""
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
  dotnet "$ADMIN_DLL" check-login --host "$local_host" --port "$tcp_port" --user alice --password "teamtalk" \
    2>>"$LOGS/admin.log" || rc=$?
  case $rc in
    0) login_status="ok (alice logged in over TCP)" ;;
    2) login_status="not checked (Admin check-login unavailable or usage error; see $LOGS/admin.log)" ;;
    *) login_status="FAILED (exit $rc; see $LOGS/admin.log, $LOGS/gateway.log, $LOGS/silo.log)" ;;
  esac
fi

cat <<EOF

TeamTalk.Orleans is running.
  discovery (HTTP):   $discovery_url   (clients' login server URL)
  web chat client:    http://$url_host:$http_port/   (a browser; TeamTalk over ws://$url_host:$http_port/ws)
  TeamTalk TCP:       $advertise:$tcp_port (listening on $listen)
  msfs (HTTP):        http://$advertise:$msfs_port/ (files in $DATA/files)
  file transfers:     $advertise:$file_port (TCP)
  dashboard (silo):   http://127.0.0.1:$dashboard_port/dashboard
  back-office API:    http://127.0.0.1:$admin_port/api/v1/ (Authorization: Bearer \$(cat $API_KEY_FILE))
  admin console:      http://127.0.0.1:$admin_port/admin — $(if [ "$seed" -eq 1 ]; then echo "user admin, password $(cat "$ADMIN_PASSWORD_FILE") (in $ADMIN_PASSWORD_FILE)"; else echo "the database's IMAdmin accounts (add one: dotnet $ADMIN_DLL set-admin --db '<database>' --name NAME --password-file FILE)"; fi)
  demo users:         $(if [ "$seed" -eq 1 ]; then echo "alice, bob, carol, dave — password teamtalk"; else echo "(none seeded: existing database)"; fi)
  login check:        $login_status
  database:           $(printf '%s' "$db_cs" | sed 's/Password=[^;]*/Password=***/I')
  redis:              $(if [ -n "$redis_addr" ]; then echo "$redis_addr (only for the import: dotnet $ADMIN_DLL import-redis --db '<database>' --redis $redis_addr; stop the silo and gateway first)"; else echo "none (not needed)"; fi)
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
