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
usage: ./run.sh [--silos N] [--gateways M] [--db CONNECTION_STRING] [--listen ADDR] [--advertise ADDR] [--with-redis | --redis HOST:PORT] [options]
       ./run.sh add-silo | add-gateway | stop-silo K | stop-gateway K | status   (while a run.sh runs)

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
  --silos N          start N silos (default 1, at most 9); silo K uses silo port (--silo-port)+K,
                     Orleans gateway port (--silo-gateway-port)+K and dashboard port (--dashboard-port)+K
  --silo-port P      silo-to-silo port of silo 0 (default: 11111)
  --silo-gateway-port P  port on which silo 0 accepts the gateways' Orleans connections (default: 30000)
  --gateways M       start M gateways (default 1, at most 9); gateway K uses each gateway port above
                     +K (TCP 8000+K, discovery 8080+K, msfs 8700+K, file 8600+K, back-office 8400+K);
                     every gateway serves discovery, which names the least-loaded live gateway
  Each silo and gateway also serves /metrics and /health/* on a loopback management port:
  silo K (--dashboard-port)+1+10K (8091, 8101, …), gateway K (--admin-port)+1+10K (8401, 8411, …).
  --one-process      run the gateway inside the silo's process (TeamTalk:Silo:HostGateway): one server
                     process, the same ports; less CPU per message, but a silo restart also drops the
                     clients (docs/operations.md "One process per node"); not with --silos or --gateways
  --no-build         skip `dotnet build -c Release` (use the last build)
  --help             this text

While it runs, from another terminal (the cluster's state is in .data/cluster/):
  ./run.sh status          list the running silos and gateways with their ports
  ./run.sh add-silo        start one more silo (lowest free index K), print its ports
  ./run.sh add-gateway     start one more gateway, print its addresses
  ./run.sh stop-silo K     stop silo K gracefully (SIGTERM: it leaves the cluster, its grains move)
  ./run.sh stop-gateway K  stop gateway K gracefully (it leaves discovery; its clients reconnect elsewhere)

Logs: .data/logs/ (build.log, web.log, admin.log, silo.log, gateway.log; silo-K.log, gateway-K.log for K > 0);
MariaDB: .data/mariadb/mysqld.log.
EOF
}

DATA=$ROOT/.data
LOGS=$DATA/logs
CONFIG=Release
BIN_SILO=$ROOT/src/Silo/bin/$CONFIG/net10.0
BIN_GATEWAY=$ROOT/src/Gateway/bin/$CONFIG/net10.0
# The running cluster: its settings (cluster.env, mode 600: it holds the connection string) and one pid file per
# process (silo-K.pid, gateway-K.pid). A stop command removes the pid file before stopping the process, so the main
# run.sh knows that exit was asked for.
STATE=$DATA/cluster

# The log of silo K / gateway K (silo.log and gateway.log for K = 0, as before clusters).
silo_log() { if [ "$1" -eq 0 ]; then echo "$LOGS/silo.log"; else echo "$LOGS/silo-$1.log"; fi; }
gateway_log() { if [ "$1" -eq 0 ]; then echo "$LOGS/gateway.log"; else echo "$LOGS/gateway-$1.log"; fi; }

# start_silo K: starts silo K on its ports and waits for its dashboard port (it has joined the cluster by then);
# records its pid. Returns 0 when up, 2 when it exited, 1 when its port did not open in time.
start_silo() {
  local k=$1 rc=0 dport=$((dashboard_port + $1)) hosted=()
  if [ "${one_process:-0}" -eq 1 ]; then
    gateway_args "$k"
    hosted=("--TeamTalk:Silo:HostGateway=true" "${GATEWAY_ARGS[@]}")
  fi
  tt_start_dotnet "silo $k" "$BIN_SILO" TeamTalk.Orleans.Silo.dll "$(silo_log "$k")" "$dport" 120 "${cluster_args[@]}" \
    "--TeamTalk:Cluster:SiloPort=$((silo_port + k))" "--TeamTalk:Cluster:GatewayPort=$((silo_gateway_port + k))" \
    "--TeamTalk:Dashboard:Port=$dport" "--TeamTalk:Telemetry:Port=$(silo_management_port "$k")" ${hosted[@]+"${hosted[@]}"} || rc=$?
  if [ "$rc" -ne 2 ]; then
    echo "$TT_SERVER_PID" >"$STATE/silo-$k.pid"
  fi
  return "$rc"
}

# gateway_args K: the settings of gateway K (its own process, or silo K's with --one-process) into GATEWAY_ARGS.
gateway_args() {
  local k=$1
  GATEWAY_ARGS=(
    "--TeamTalk:Gateway:TcpPort=$((tcp_port + k))"
    "--TeamTalk:Gateway:HttpPort=$((http_port + k))"
    "--TeamTalk:Gateway:ListenAddress=$listen"
    "--TeamTalk:Gateway:AdvertisedAddress=$advertise"
    "--TeamTalk:Gateway:MsfsPort=$((msfs_port + k))"
    "--TeamTalk:Gateway:FileTcpPort=$((file_port + k))"
    "--TeamTalk:Gateway:AdminHttpPort=$((admin_port + k))" "--TeamTalk:Gateway:AdminApiKeyFile=$API_KEY_FILE"
    "--TeamTalk:Gateway:AdminConsoleKeysDirectory=$DATA/admin-console-keys"
    "--TeamTalk:Gateway:AdminDashboardUrl=http://127.0.0.1:$dashboard_port/dashboard"
    "--TeamTalk:Gateway:WebClient:Directory=$ROOT/web/dist"
  )
}

# start_gateway K: starts gateway K on its ports and waits for its TCP port; records its pid.
start_gateway() {
  local k=$1 rc=0
  gateway_args "$k"
  TT_WAIT_HOST=$local_host
  tt_start_dotnet "gateway $k" "$BIN_GATEWAY" TeamTalk.Orleans.Gateway.dll "$(gateway_log "$k")" "$((tcp_port + k))" 180 "${cluster_args[@]}" \
    "${GATEWAY_ARGS[@]}" "--TeamTalk:Telemetry:Port=$(gateway_management_port "$k")" || rc=$?
  TT_WAIT_HOST=""
  if [ "$rc" -ne 2 ]; then
    echo "$TT_SERVER_PID" >"$STATE/gateway-$k.pid"
  fi
  return "$rc"
}

# The management listener (/metrics, /health/*) of silo K and gateway K: 8091, 8101, … and 8401, 8411, … by default
# (a stride of 10 keeps them clear of the dashboard and back-office ports of the other processes).
silo_management_port() { echo $((dashboard_port + 1 + 10 * $1)); }
gateway_management_port() { echo $((admin_port + 1 + 10 * $1)); }

# The ports of silo K or gateway K, as run.sh assigns them.
process_ports() {
  local k=$2
  if [ "$1" = silo ]; then
    echo "$((silo_port + k)) $((silo_gateway_port + k)) $((dashboard_port + k)) $(silo_management_port "$k")"
  else
    echo "$((tcp_port + k)) $((http_port + k)) $((msfs_port + k)) $((file_port + k)) $((admin_port + k)) $(gateway_management_port "$k")"
  fi
}

describe_silo() {
  echo "  silo $1:    silo port $((silo_port + $1)), Orleans gateway port $((silo_gateway_port + $1)), dashboard http://127.0.0.1:$((dashboard_port + $1))/dashboard, metrics http://127.0.0.1:$(silo_management_port "$1")/metrics, log $(silo_log "$1")"
}

# describe_gateway K [hosted]: its addresses; with "hosted", it runs in silo K's process (--one-process).
describe_gateway() {
  local where="metrics http://127.0.0.1:$(gateway_management_port "$1")/metrics, log $(gateway_log "$1")"
  [ "${2:-}" = hosted ] && where="in silo $1's process (--one-process)"
  echo "  gateway $1: discovery http://$url_host:$((http_port + $1))/msg_server, TCP $advertise:$((tcp_port + $1)), msfs :$((msfs_port + $1)), files :$((file_port + $1)), back-office 127.0.0.1:$((admin_port + $1)), $where"
}

# The running processes of a kind, as "K PID" lines.
running() {
  local f k pid
  for f in "$STATE/$1"-*.pid; do
    [ -e "$f" ] || continue
    k=${f##*-}
    k=${k%.pid}
    pid=$(cat "$f" 2>/dev/null) || continue
    if kill -0 "$pid" 2>/dev/null; then
      echo "$k $pid"
    fi
  done
}

# The commands that act on the cluster of a running ./run.sh.
cluster_command() {
  local cmd=$1 kind k pid rc=0 port
  [ -f "$STATE/cluster.env" ] || tt_die "no running cluster (start one with ./run.sh first)"
  # shellcheck source=/dev/null
  source "$STATE/cluster.env"
  kill -0 "$main_pid" 2>/dev/null || tt_die "the run.sh of this cluster (pid $main_pid) is not running"
  if [ "${one_process:-0}" -eq 1 ] && [ "$cmd" != status ]; then
    tt_die "this run.sh runs one process (--one-process): $cmd is for clusters of separate silos and gateways"
  fi
  case $cmd in
    status)
      echo "silos:"
      while read -r k pid; do describe_silo "$k"; done < <(running silo)
      echo "gateways:"
      if [ "${one_process:-0}" -eq 1 ]; then
        describe_gateway 0 hosted
      fi
      while read -r k pid; do describe_gateway "$k"; done < <(running gateway)
      ;;
    add-silo | add-gateway)
      kind=${cmd#add-}
      k=0
      while [ -e "$STATE/$kind-$k.pid" ]; do k=$((k + 1)); done
      for port in $(process_ports "$kind" "$k"); do
        if tt_port_open "$port"; then
          tt_die "port $port of $kind $k is already in use"
        fi
      done
      if [ "$kind" = silo ]; then
        start_silo "$k" || rc=$?
      else
        start_gateway "$k" || rc=$?
      fi
      if [ "$rc" -eq 2 ]; then
        tt_die "$kind $k exited during start-up (log: $("${kind}_log" "$k"))"
      elif [ "$rc" -ne 0 ]; then
        tt_log "warning: $kind $k did not open its port in time (log: $("${kind}_log" "$k"))"
      fi
      tt_log "$kind $k is up (pid $(cat "$STATE/$kind-$k.pid")); the run.sh of the cluster watches it and stops it on Ctrl-C"
      "describe_$kind" "$k"
      ;;
    stop-silo | stop-gateway)
      kind=${cmd#stop-}
      k=${2:?"$cmd needs the index K (see ./run.sh status)"}
      [ -f "$STATE/$kind-$k.pid" ] || tt_die "no $kind $k (see ./run.sh status)"
      pid=$(cat "$STATE/$kind-$k.pid")
      rm -f "$STATE/$kind-$k.pid"
      tt_stop_pid "$pid" "$kind $k"
      ;;
  esac
}

case ${1:-} in
  add-silo | add-gateway | stop-silo | stop-gateway | status)
    cluster_command "$@"
    exit 0
    ;;
esac

silos=1
gateways=1
one_process=0
silo_port=11111
silo_gateway_port=30000
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
    --silo-port) silo_port=${2:?}; shift 2 ;;
    --silo-gateway-port) silo_gateway_port=${2:?}; shift 2 ;;
    --silos) silos=${2:?--silos needs a number}; shift 2 ;;
    --one-process) one_process=1; shift ;;
    --gateways) gateways=${2:?--gateways needs a number}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case $silos$gateways in
  *[!0-9]*) tt_die "--silos and --gateways take a number" ;;
esac
if [ "$silos" -lt 1 ] || [ "$gateways" -lt 1 ] || [ "$silos" -gt 9 ] || [ "$gateways" -gt 9 ]; then
  tt_die "--silos and --gateways take 1 to 9 (the ports of process K are the base ports + K)"
fi
if [ "$one_process" -eq 1 ] && { [ "$silos" -ne 1 ] || [ "$gateways" -ne 1 ]; }; then
  tt_die "--one-process runs one silo with its gateway: not with --silos or --gateways"
fi
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

mkdir -p "$LOGS"
ADMIN_DLL=$ROOT/src/Admin/bin/$CONFIG/net10.0/TeamTalk.Orleans.Admin.dll

owns_state=0
# shellcheck disable=SC2317 # invoked by trap
cleanup() {
  local rc=$? kind k pid
  trap - EXIT INT TERM HUP
  echo
  tt_log "stopping"
  # the gateways first (clients reconnect elsewhere), then the silos, then the servers
  if [ "$owns_state" -eq 1 ]; then
    for kind in gateway silo; do
      while read -r k pid; do
        rm -f "$STATE/$kind-$k.pid"
        tt_stop_pid "$pid" "$kind $k"
      done < <(running "$kind")
    done
    rm -rf "$STATE"
  fi
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
tt_need_libspeex "$LOGS/install.log" warn
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

if [ -f "$STATE/cluster.env" ] && (source "$STATE/cluster.env" && kill -0 "$main_pid" 2>/dev/null); then
  tt_die "another run.sh is running a cluster here (see ./run.sh status)"
fi
for ((k = 0; k < silos; k++)); do
  for port in $(process_ports silo "$k"); do
    if tt_port_open "$port"; then
      tt_die "port $port on 127.0.0.1 (silo $k) is already in use (another run.sh?)"
    fi
  done
done
for ((k = 0; k < gateways; k++)); do
  for port in $(process_ports gateway "$k"); do
    # With --one-process the gateway uses the silo's management port, not its own.
    [ "$one_process" -eq 1 ] && [ "$port" -eq "$(gateway_management_port "$k")" ] && continue
    if tt_port_open "$port"; then
      tt_die "port $port on 127.0.0.1 (gateway $k) is already in use (another run.sh?)"
    fi
  done
done
rm -rf "$STATE"
mkdir -p "$STATE"
chmod 700 "$STATE"
owns_state=1

[ -f "$BIN_SILO/TeamTalk.Orleans.Silo.dll" ] || tt_die "$BIN_SILO/TeamTalk.Orleans.Silo.dll is missing"
[ -f "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll" ] || tt_die "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll is missing"

cluster_args=(
  "--TeamTalk:Database:ConnectionString=$db_cs"
  "--TeamTalk:Cluster:Profile=Production"
  "--TeamTalk:Blobs:Directory=$DATA/files"
)

# What add-silo and add-gateway need to start more processes of this cluster (mode 600: the connection string).
(
  umask 077
  {
    printf 'main_pid=%q\n' "$$"
    for v in db_cs listen advertise local_host url_host silo_port silo_gateway_port tcp_port http_port msfs_port file_port dashboard_port admin_port API_KEY_FILE one_process; do
      printf '%s=%q\n' "$v" "${!v}"
    done
    printf 'cluster_args=(%s)\n' "$(printf '%q ' "${cluster_args[@]}")"
  } >"$STATE/cluster.env"
)

# A silo joins the cluster before its HTTP endpoint (dashboard) binds: once the dashboard port answers, gateways can
# connect. Silos start one after another (the first one creates the cluster's membership).
for ((k = 0; k < silos; k++)); do
  rc=0
  start_silo "$k" || rc=$?
  if [ "$rc" -eq 2 ]; then
    tt_die "silo $k exited during start-up (log: $(silo_log "$k"))"
  elif [ "$rc" -ne 0 ]; then
    tt_log "warning: silo $k's dashboard port $((dashboard_port + k)) did not open within 120 s; going on anyway"
  fi
done
t_silo=$(tt_now_ms)

for ((k = 0; k < gateways && one_process == 0; k++)); do
  rc=0
  start_gateway "$k" || rc=$?
  if [ "$rc" -eq 2 ]; then
    tt_die "gateway $k exited during start-up (log: $(gateway_log "$k"))"
  elif [ "$rc" -ne 0 ]; then
    tt_die "gateway $k did not open TCP port $((tcp_port + k)) within 180 s (log: $(gateway_log "$k"))"
  fi
done
t_gateway=$(tt_now_ms)
if [ "$one_process" -eq 1 ]; then
  tt_log "silo 0 with its gateway up in $(tt_secs "$t_ready" "$t_silo") s; total $(tt_secs "$t0" "$t_gateway") s"
else
  tt_log "$silos silo(s) up in $(tt_secs "$t_ready" "$t_silo") s, $gateways gateway(s) in $(tt_secs "$t_silo" "$t_gateway") s; total $(tt_secs "$t0" "$t_gateway") s"
fi

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
  metrics, health:    $(if [ "$one_process" -eq 1 ]; then echo "http://127.0.0.1:$(silo_management_port 0)/metrics (/health/ready; one process: silo and gateway)"; else echo "silo http://127.0.0.1:$(silo_management_port 0)/metrics, gateway http://127.0.0.1:$(gateway_management_port 0)/metrics (/health/ready on both)"; fi)
  back-office API:    http://127.0.0.1:$admin_port/api/v1/ (Authorization: Bearer \$(cat $API_KEY_FILE))
  admin console:      http://127.0.0.1:$admin_port/admin — $(if [ "$seed" -eq 1 ]; then echo "user admin, password $(cat "$ADMIN_PASSWORD_FILE") (in $ADMIN_PASSWORD_FILE)"; else echo "the database's IMAdmin accounts (add one: dotnet $ADMIN_DLL set-admin --db '<database>' --name NAME --password-file FILE)"; fi)
  demo users:         $(if [ "$seed" -eq 1 ]; then echo "alice, bob, carol, dave — password teamtalk"; else echo "(none seeded: existing database)"; fi)
  login check:        $login_status
  database:           $(printf '%s' "$db_cs" | sed 's/Password=[^;]*/Password=***/I')
  redis:              $(if [ -n "$redis_addr" ]; then echo "$redis_addr (only for the import: dotnet $ADMIN_DLL import-redis --db '<database>' --redis $redis_addr; stop the silo and gateway first)"; else echo "none (not needed)"; fi)
  logs:               $LOGS/ ($(if [ "$one_process" -eq 1 ]; then echo "silo.log: silo and gateway"; else echo "silo.log, gateway.log"; fi), admin.log, build.log)
EOF
if [ "$silos" -gt 1 ] || [ "$gateways" -gt 1 ]; then
  echo "  cluster:            $silos silos, $gateways gateways (./run.sh status | add-silo | add-gateway | stop-silo K | stop-gateway K)"
  for ((k = 0; k < silos; k++)); do describe_silo "$k"; done
  for ((k = 0; k < gateways; k++)); do describe_gateway "$k"; done
fi
echo "Press Ctrl-C to stop."

# Wait until Ctrl-C or until a silo or gateway exits without being asked to (./run.sh stop-* removes its pid file
# first; the processes that add-silo and add-gateway start are watched too).
while true; do
  for f in "$STATE"/silo-*.pid "$STATE"/gateway-*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    if ! kill -0 "$pid" 2>/dev/null && [ -e "$f" ]; then
      name=$(basename "$f" .pid)
      rm -f "$f"
      tt_log "${name/-/ } (pid $pid) exited on its own; see $LOGS/"
      exit 1
    fi
  done
  sleep 1
done
