#!/usr/bin/env bash
# The benchmark command: a fresh private MariaDB (durable) on a free loopback port, one silo and one gateway
# (production profile, separate processes), then the MariaDB ceiling, chat (1:1), group and connect scenarios with
# the load generator, and the BenchmarkDotNet micro-benchmarks. Writes bench/results/<date>.md and .json.
# Finishes within 10 minutes on the 2-core machine. See docs/benchmarks.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARGS_GIVEN="$*"
# shellcheck source=../scripts/lib/servers.sh
source "$ROOT/scripts/lib/servers.sh"

usage() {
  cat <<'EOF'
usage: bench/run.sh [--no-build] [--quick] [--only LIST] [--no-micro] [--keep] [--out FILE] [--dashboard] [--help]

Starts its own MariaDB (innodb_flush_log_at_trx_commit=1) in a temporary directory on a free
loopback port (no Redis: nothing uses it), builds (Release), starts one silo and one gateway (production profile, separate
processes), and runs:
  ceiling   MariaDB rows/s for 100-row durable INSERT transactions from one client (10 s)
  everyday  1:1 messages at a company's everyday load: 900 msgs/s (25 pairs, 18 msgs/s per sender, 30 s);
            the fixed cost per message (server CPU per message by process: gateway, silo, MariaDB)
  probe     latest-message-id requests instead of messages (gateway → Relation grain → gateway; no database, no
            push) at 900 and 5,004 requests/s (30 s each): what one request round trip costs at those rates
  chat      1:1 messages, 18 msgs/s per sender: 1,008 msgs/s offered (30 s), 5,004 (30 s), 10,008 (60 s)
  group     50 groups of 20 members: 9,500 then 19,000 deliveries/s offered (15 s each)
  connect   18,000 logged-in Android connections from 3 load-generator processes, held 20 s (first logins:
            every Login and User grain activates), then the same 18,000 again once those closed (repeat logins)
  push      (optional) push notifications to a loopback fake APNs/FCM (tools/PushFake): 1,008 msgs/s one-way
            with the receivers online (baseline), offline without tokens (control), offline with iOS and with
            Android push tokens, then
            3,006 msgs/s to offline iOS receivers (20 s each); pushes/s and server CPU per message
  micro     BenchmarkDotNet: frame parser/encoder and the gateway message path (allocations)
then writes bench/results/<UTC date>.md and .json (every figure).

  --no-build    skip `dotnet build -c Release`
  --quick       small sizes and short windows (a smoke run, ~2 minutes; results go to /tmp)
  --only LIST   comma-separated subset of: ceiling,everyday,probe,chat,group,connect,micro (default: all seven),
                plus the optional mixed, history and push scenarios
  --no-micro    skip the BenchmarkDotNet run
  --keep        keep the temporary directory (server data, logs, raw JSON)
  --out FILE    markdown path (default bench/results/<date>.md)
  --login-concurrency N  logins in flight per load process in the connect stage (default 48)
  --chat-rate R  msgs/s per sending user in the chat runs (default 18, as the reference measurement); the
                number of pairs is scaled so that the offered loads stay the same
  --dashboard   keep the Orleans Dashboard on (as in production; the benchmark turns it off, docs/benchmarks.md)
  --one-process the silo hosts the gateway (TeamTalk:Silo:HostGateway): one server process instead of two
  --server-env NAME=VALUE
                environment variable for the silo and gateway processes (repeatable; for experiments
                such as DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0; listed in the results)
EOF
}

build=1
quick=0
keep=0
only="ceiling,everyday,probe,chat,group,connect,micro"
out=""
chat_rate=18
login_concurrency=48
server_env=()
dashboard=false
one_process=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0; shift ;;
    --quick) quick=1; shift ;;
    --keep) keep=1; shift ;;
    --only) only=${2:?--only needs a list}; shift 2 ;;
    --no-micro) only=${only//micro/}; shift ;;
    --out) out=${2:?--out needs a path}; shift 2 ;;
    --dashboard) dashboard=true; shift ;;
    --one-process) one_process=1; shift ;;
    --chat-rate) chat_rate=${2:?--chat-rate needs msgs/s}; shift 2 ;;
    --login-concurrency) login_concurrency=${2:?--login-concurrency needs a number}; shift 2 ;;
    --server-env) server_env+=("${2:?--server-env needs NAME=VALUE}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

date_utc=$(date -u +%Y-%m-%d)
if [ -z "$out" ]; then
  if [ "$quick" -eq 1 ]; then out=/tmp/tt-bench-quick-$date_utc.md; else out=$ROOT/bench/results/$date_utc.md; fi
fi

WORK=$(mktemp -d /tmp/tt-bench.XXXXXX)
LOGS=$WORK/logs
RAW=$WORK/raw
mkdir -p "$LOGS" "$RAW"
CONFIG=Release
BIN_SILO=$ROOT/src/Silo/bin/$CONFIG/net10.0
BIN_GATEWAY=$ROOT/src/Gateway/bin/$CONFIG/net10.0
ADMIN_DLL=$ROOT/src/Admin/bin/$CONFIG/net10.0/TeamTalk.Orleans.Admin.dll
LOADGEN_DLL=$ROOT/tools/LoadGen/bin/$CONFIG/net10.0/TeamTalk.Orleans.LoadGen.dll
PUSHFAKE_DIR=$ROOT/tools/PushFake/bin/$CONFIG/net10.0

silo_pid=""
gateway_pid=""
push_fake_pid=""
# shellcheck disable=SC2317 # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  tt_stop_pid "$gateway_pid" gateway
  tt_stop_pid "$silo_pid" silo
  tt_stop_pid "$push_fake_pid" push-fake
  tt_stop_started
  if [ "$keep" -eq 1 ] || [ "$rc" -ne 0 ]; then
    tt_log "kept $WORK (logs, raw JSON)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

t0=$(tt_now_ms)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
command -v dotnet >/dev/null 2>&1 || tt_die "dotnet (SDK) not found in PATH"
tt_install_servers

cd "$ROOT"
if [ "$build" -eq 1 ]; then
  tt_log "dotnet build -c $CONFIG (log: $LOGS/build.log)"
  if ! dotnet build -c "$CONFIG" TeamTalk.Orleans.sln -nologo >"$LOGS/build.log" 2>&1; then
    grep -E 'error' "$LOGS/build.log" | sort -u | tail -n 30 >&2 || true
    tt_die "build failed (log: $LOGS/build.log)"
  fi
fi
for f in "$ADMIN_DLL" "$LOADGEN_DLL" "$BIN_SILO/TeamTalk.Orleans.Silo.dll" "$BIN_GATEWAY/TeamTalk.Orleans.Gateway.dll"; do
  [ -f "$f" ] || tt_die "$f is missing (build first)"
done

tt_mariadb_start_free "$WORK/mariadb"
db_cs="$TT_MARIADB_CS;Database=teamtalk"

tcp_port=$(tt_free_port)
http_port=$(tt_free_port)
dashboard_port=$(tt_free_port)
silo_port=$(tt_free_port)
silo_gateway_port=$(tt_free_port)
silo_metrics_port=$(tt_free_port)    # /metrics and /health/* (TeamTalk:Telemetry:Port)
gateway_metrics_port=$(tt_free_port)
# The gateway's other listeners too: their defaults (8600, 8700, 8400) may belong to a system someone else runs here.
file_port=$(tt_free_port)
msfs_port=$(tt_free_port)
admin_port=$(tt_free_port)

# Sizes. Full run: the issue's targets. Quick: a smoke run.
if [ "$quick" -eq 1 ]; then
  everyday_pairs=10; everyday_secs=10
  chat_low_pairs=10; chat_mid_pairs=20; chat_high_pairs=40; chat_low_secs=10; chat_mid_secs=10; chat_secs=10; chat_warmup=3; settle=2
  connect_n=1000; connect_procs=2; connect_hold=5
  group_groups=4; group_members=5; group_secs=5; group_rates="1 2"
  users=2000
else
  everyday_pairs=25; everyday_secs=30
  chat_low_pairs=28; chat_mid_pairs=139; chat_high_pairs=278; chat_low_secs=30; chat_mid_secs=30; chat_secs=60; chat_warmup=5; settle=10
  connect_n=18000; connect_procs=3; connect_hold=20
  group_groups=50; group_members=20; group_secs=15; group_rates="0.5 1"
  users=18000
fi

tt_log "migrating and seeding $users users (lg1..lg$users)"
dotnet "$ADMIN_DLL" migrate --db "$db_cs" >>"$LOGS/admin.log" 2>&1 || tt_die "migrate failed (log: $LOGS/admin.log)"
loadgen() {
  dotnet "$LOADGEN_DLL" "$@"
}
loadgen seed --db "$db_cs" --count "$users" 2>>"$LOGS/loadgen.log" || tt_die "seeding failed (log: $LOGS/loadgen.log)"

# Non-default server settings (docs/benchmarks.md lists them and why):
#   gateway MaxConnections 19000: discovery keeps handing out this gateway up to the 18,000 target with headroom.
#   silo Dashboard:Enabled false (unless --dashboard): it samples every Orleans instrument each second.
cluster_args=(
  "--TeamTalk:Database:ConnectionString=$db_cs"
  "--TeamTalk:Cluster:Profile=Production"
  "--TeamTalk:Cluster:ClusterId=bench"
  "--TeamTalk:Cluster:ServiceId=bench"
  "--TeamTalk:Blobs:Directory=$WORK/files"
)

# The push stage's fake APNs and FCM (keys, counters) run before the silo, which is pointed at them.
push_args=()
if wants push; then
  push_apns_port=$(tt_free_port)
  push_fcm_port=$(tt_free_port)
  rc=0
  tt_start_dotnet push-fake "$PUSHFAKE_DIR" TeamTalk.Orleans.PushFake.dll "$LOGS/push-fake.log" "$push_fcm_port" 60 \
    --dir "$WORK/push" --apns-port "$push_apns_port" --fcm-port "$push_fcm_port" || rc=$?
  push_fake_pid=$TT_SERVER_PID
  [ "$rc" -eq 0 ] || tt_die "the push fake did not come up (log: $LOGS/push-fake.log)"
  for _ in $(seq 1 50); do [ -s "$WORK/push/silo-args" ] && break; sleep 0.2; done
  mapfile -t push_args <"$WORK/push/silo-args"
fi

gateway_args=(
  "--TeamTalk:Gateway:TcpPort=$tcp_port"
  "--TeamTalk:Gateway:HttpPort=$http_port"
  "--TeamTalk:Gateway:FileTcpPort=$file_port"
  "--TeamTalk:Gateway:MsfsPort=$msfs_port"
  "--TeamTalk:Gateway:AdminHttpPort=$admin_port"
  "--TeamTalk:Gateway:MaxConnections=19000"
)
hosted_gateway=()
[ "$one_process" -eq 1 ] && hosted_gateway=(--TeamTalk:Silo:HostGateway=true "${gateway_args[@]}")
# shellcheck disable=SC2034 # read by tt_start_dotnet
TT_SERVER_ENV=(${server_env[@]+"${server_env[@]}"})
rc=0
tt_start_dotnet silo "$BIN_SILO" TeamTalk.Orleans.Silo.dll "$LOGS/silo.log" "$dashboard_port" 120 "${cluster_args[@]}" \
  "--TeamTalk:Cluster:SiloPort=$silo_port" \
  "--TeamTalk:Cluster:GatewayPort=$silo_gateway_port" \
  "--TeamTalk:Dashboard:Port=$dashboard_port" \
  "--TeamTalk:Dashboard:Enabled=$dashboard" \
  "--TeamTalk:Telemetry:Port=$silo_metrics_port" ${push_args[@]+"${push_args[@]}"} ${hosted_gateway[@]+"${hosted_gateway[@]}"} || rc=$?
silo_pid=$TT_SERVER_PID
[ "$rc" -eq 0 ] || tt_die "the silo did not come up (log: $LOGS/silo.log)"

if [ "$one_process" -eq 0 ]; then
  rc=0
  tt_start_dotnet gateway "$BIN_GATEWAY" TeamTalk.Orleans.Gateway.dll "$LOGS/gateway.log" "$tcp_port" 180 "${cluster_args[@]}" \
    "${gateway_args[@]}" "--TeamTalk:Telemetry:Port=$gateway_metrics_port" || rc=$?
  gateway_pid=$TT_SERVER_PID
  [ "$rc" -eq 0 ] || tt_die "the gateway did not come up (log: $LOGS/gateway.log)"
fi
# discovery answers once the gateway has announced itself
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$http_port" && printf 'GET /msg_server HTTP/1.0\r\n\r\n' >&3 && grep -q '"code": 0' <&3) 2>/dev/null; then break; fi
  sleep 0.2
done
t_up=$(tt_now_ms)
tt_log "servers up after $(tt_secs "$t0" "$t_up") s"

pids="silo=$silo_pid${gateway_pid:+,gateway=$gateway_pid},mariadb=$TT_MARIADB_PID"
common=(--discovery "http://127.0.0.1:$http_port/msg_server" --pids "$pids" --db "$db_cs")
inputs=()

if wants ceiling; then
  tt_log "ceiling: MariaDB rows/s"
  loadgen ceiling --db "$db_cs" --duration 10 --batch 100 --json "$RAW/ceiling.json" --label "100-row transactions" 2>>"$LOGS/loadgen.log"
  inputs+=("$RAW/ceiling.json")
  # MariaDB flushes the ceiling's rows for a while afterwards; a chat run started at once measures that flush
  # (a 1.4 s ack p99 at 1,008 msgs/s in one run, 38 ms in the next).
  sleep "$settle"
fi

# "<transactions> <messages>" committed so far, from the silo's teamtalk.commit.batch_size histogram (0 0 when unreadable).
commit_counts() {
  curl -fsS "http://127.0.0.1:$silo_metrics_port/metrics" 2>/dev/null |
    awk '/^teamtalk_commit_batch_size[a-z_]*_count[ {]/ { t += $2 } /^teamtalk_commit_batch_size[a-z_]*_sum[ {]/ { m += $2 } END { printf "%d %d\n", t, m }' ||
    echo "0 0"
}
everyday_commits=""

# Users above the chat stage's (which starts at user 1 and uses at most 2 × (28 + 139 + 278) of them) and below the
# push stage's (the second half of the seeded range).
everyday_first=$((users / 2 - 2 * everyday_pairs * 18 / chat_rate - 100))
if wants everyday; then
  # Everyday load (issue 13): 900 msgs/s, where the fixed cost per message dominates; the report splits the server CPU
  # per message by process. --chat-rate scales the number of pairs as for the chat stage.
  pairs=$(awk -v p="$everyday_pairs" -v r="$chat_rate" 'BEGIN { printf "%d", (p * 18 / r) + 0.5 }')
  offered=$(awk -v p="$pairs" -v r="$chat_rate" 'BEGIN { printf "%d", p * 2 * r }')
  tt_log "everyday: $offered msgs/s offered for $everyday_secs s"
  commits_before=$(commit_counts)
  loadgen chat "${common[@]}" --first-user "$everyday_first" --pairs "$pairs" --rate "$chat_rate" --duration "$everyday_secs" --warmup 10 \
    --label "everyday, $offered msgs/s offered" --json "$RAW/everyday.json" 2>>"$LOGS/loadgen.log" || tt_log "everyday exited with $?"
  [ -f "$RAW/everyday.json" ] && inputs+=("$RAW/everyday.json")
  # Messages per transaction over the stage (warm-up and drain included), from the silo's commit histogram.
  read -r tx_before msgs_before <<<"$commits_before"
  read -r tx_after msgs_after <<<"$(commit_counts)"
  everyday_commits=$(awk -v t=$((tx_after - tx_before)) -v m=$((msgs_after - msgs_before)) \
    'BEGIN { if (t > 0) printf "%d transactions for %d messages (%.2f messages per transaction)", t, m, m / t; else print "no transactions counted" }')
  tt_log "everyday: $everyday_commits"
  sleep "$settle"
fi

if wants probe; then
  # The floor under the chat stages' messages: senders at the everyday stage's rate (its users, warm) and at the 5,004
  # msgs/s stage's (users just below the everyday stage's, above the chat stage's and below the push stage's), each
  # request one call from the gateway to the pair's Relation grain and back (no commit, no push), so the server CPU
  # per request is what the request round trip alone costs at that rate.
  for run in "everyday:$everyday_pairs" "mid:$chat_mid_pairs"; do
    IFS=: read -r name pairs <<<"$run"
    pairs=$(awk -v p="$pairs" -v r="$chat_rate" 'BEGIN { printf "%d", (p * 18 / r) + 0.5 }')
    offered=$(awk -v p="$pairs" -v r="$chat_rate" 'BEGIN { printf "%d", p * 2 * r }')
    first=$everyday_first
    [ "$name" = everyday ] || first=$((everyday_first - 2 * pairs - 10))
    tt_log "probe ($name): $offered latest-message-id requests/s for $everyday_secs s"
    loadgen chat "${common[@]}" --first-user "$first" --pairs "$pairs" --rate "$chat_rate" --duration "$everyday_secs" --warmup 10 \
      --probe --label "probe, $offered requests/s offered" --json "$RAW/probe-$name.json" 2>>"$LOGS/loadgen.log" || tt_log "probe ($name) exited with $?"
    [ -f "$RAW/probe-$name.json" ] && inputs+=("$RAW/probe-$name.json")
    sleep "$settle"
  done
fi

if wants chat; then
  # Three offered loads, 18 msgs/s per sending user (--chat-rate) (both users of a pair send): below saturation (latency), the
  # issue's 5,000 msgs/s latency point, and its 10,000 msgs/s throughput target for 60 s. Each run uses fresh users.
  first=1
  for run in "low:$chat_low_pairs:$chat_low_secs:10:1" "mid:$chat_mid_pairs:$chat_mid_secs:$chat_warmup:1" "high:$chat_high_pairs:$chat_secs:$chat_warmup:2"; do
    IFS=: read -r name pairs secs warmup procs <<<"$run"
    pairs=$(awk -v p="$pairs" -v r="$chat_rate" 'BEGIN { printf "%d", (p * 18 / r) + 0.5 }')
    offered=$(awk -v p="$pairs" -v r="$chat_rate" 'BEGIN { printf "%d", p * 2 * r }')
    tt_log "chat ($name): $offered msgs/s offered for $secs s"
    loadgen chat "${common[@]}" --first-user "$first" --pairs "$pairs" --rate "$chat_rate" --duration "$secs" --warmup "$warmup" \
      --processes "$procs" --label "$offered msgs/s offered" --json "$RAW/chat-$name.json" 2>>"$LOGS/loadgen.log" || tt_log "chat ($name) exited with $?"
    [ -f "$RAW/chat-$name.json" ] && inputs+=("$RAW/chat-$name.json")
    first=$((first + pairs * 2))
    sleep "$settle" # let an overloaded server finish its backlog before the next run
  done
fi

if wants group; then
  # Two offered loads over the same groups: half the fan-out, then the full one.
  for rate in $group_rates; do
    deliveries=$(awk -v g="$group_groups" -v m="$group_members" -v r="$rate" 'BEGIN { printf "%d", g * m * (m - 1) * r }')
    tt_log "group: $group_groups groups of $group_members, $rate msgs/s per member ($deliveries deliveries/s)"
    rc=0
    loadgen group "${common[@]}" --first-user 1 --groups "$group_groups" --members "$group_members" --rate "$rate" --duration "$group_secs" --warmup 2 --drain 5 \
      --group-setup db --label "$deliveries deliveries/s offered" --json "$RAW/group-$rate.json" 2>>"$LOGS/loadgen.log" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || tt_log "group exited with $rc"
    [ -f "$RAW/group-$rate.json" ] && inputs+=("$RAW/group-$rate.json")
    sleep "$settle"
  done
fi

if wants mixed; then
  tt_log "mixed: 200 users"
  loadgen mixed "${common[@]}" --users 200 --duration 20 --json "$RAW/mixed.json" 2>>"$LOGS/loadgen.log" || tt_log "mixed exited with $?"
  [ -f "$RAW/mixed.json" ] && inputs+=("$RAW/mixed.json")
fi

if wants history; then
  tt_log "history: 100,000-message conversation"
  loadgen history "${common[@]}" --first-user $((users - 1)) --messages 100000 --duration 20 --json "$RAW/history.json" 2>>"$LOGS/loadgen.log" || tt_log "history exited with $?"
  [ -f "$RAW/history.json" ] && inputs+=("$RAW/history.json")
fi

if wants push; then
  # Same senders and rate, receivers online (baseline) then offline with push tokens (every message a push), then a
  # higher rate to offline receivers. Fresh users for each run (the second half of the seeded range).
  if [ "$quick" -eq 1 ]; then push_pairs=20; push_high_pairs=60; push_secs=10; else push_pairs=56; push_high_pairs=167; push_secs=20; fi
  first=$((users / 2 + 1))
  stats_url="http://127.0.0.1:$push_fcm_port/stats"
  for run in "online:$push_pairs:" "offline-none:$push_pairs:none" "offline-ios:$push_pairs:ios" "offline-android:$push_pairs:android" "offline-ios-high:$push_high_pairs:ios"; do
    IFS=: read -r name pairs device <<<"$run"
    offered=$((pairs * 18))
    if [ "$device" = none ]; then
      mode=(--offline-receivers --receiver-device none); label="$offered msgs/s to offline receivers without tokens (no push, control)"
    elif [ -n "$device" ]; then
      mode=(--offline-receivers --receiver-device "$device"); label="$offered msgs/s to offline $device receivers (pushes)"
    else
      mode=(--one-way); label="$offered msgs/s one-way, receivers online (push baseline)"
    fi
    tt_log "push ($name): $label for $push_secs s"
    loadgen chat "${common[@]}" --first-user "$first" --pairs "$pairs" --rate 18 --duration "$push_secs" --warmup 5 --drain 15 \
      "${mode[@]}" --push-stats "$stats_url" --label "$label" --json "$RAW/push-$name.json" 2>>"$LOGS/loadgen.log" || tt_log "push ($name) exited with $?"
    [ -f "$RAW/push-$name.json" ] && inputs+=("$RAW/push-$name.json")
    first=$((first + pairs * 2))
    sleep "$settle"
  done
fi

if wants connect; then
  tt_log "connect: $connect_n connections from $connect_procs processes"
  loadgen connect "${common[@]}" --connections "$connect_n" --processes "$connect_procs" --hold "$connect_hold" --source-addresses 16 \
    --login-concurrency "$login_concurrency" --label "first logins" --json "$RAW/connect.json" 2>>"$LOGS/loadgen.log" || tt_log "connect exited with $?"
  [ -f "$RAW/connect.json" ] && inputs+=("$RAW/connect.json")
  # The same users again: their Login and User grains are active, so this is what a reconnecting user costs.
  sleep "$settle"
  tt_log "connect (repeat logins): the same $connect_n users again"
  loadgen connect "${common[@]}" --connections "$connect_n" --processes "$connect_procs" --hold "$connect_hold" --source-addresses 16 \
    --login-concurrency "$login_concurrency" --label "repeat logins" --json "$RAW/connect-repeat.json" 2>>"$LOGS/loadgen.log" || tt_log "connect (repeat) exited with $?"
  [ -f "$RAW/connect-repeat.json" ] && inputs+=("$RAW/connect-repeat.json")
fi

tt_stop_pid "$gateway_pid" gateway
gateway_pid=""
tt_stop_pid "$silo_pid" silo
silo_pid=""
tt_stop_pid "$push_fake_pid" push-fake
push_fake_pid=""
tt_stop_started

micro_md=""
if wants micro; then
  tt_log "micro-benchmarks (BenchmarkDotNet, log: $LOGS/micro.log)"
  micro_dir=$WORK/micro
  if dotnet "$ROOT/bench/Benchmarks/bin/$CONFIG/net10.0/TeamTalk.Orleans.Benchmarks.dll" --filter '*' --artifacts "$micro_dir" \
    --inProcess --job "$([ "$quick" -eq 1 ] && echo dry || echo short)" >"$LOGS/micro.log" 2>&1; then
    micro_md=$WORK/micro.md
    {
      echo "## Micro-benchmarks (BenchmarkDotNet, MemoryDiagnoser)"
      echo
      for f in "$micro_dir"/results/*-report-github.md; do
        sed -n '/^|/p' "$f"
        echo
      done
    } >"$micro_md"
  else
    tt_log "micro-benchmarks failed (log: $LOGS/micro.log)"
  fi
fi

preamble=$WORK/preamble.md
{
  echo "Command: \`bench/run.sh${ARGS_GIVEN:+ $ARGS_GIVEN}\` ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))."
  echo "Load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shares the 2 cores)."
  echo "MariaDB $(mariadbd --version 2>/dev/null | awk '{print $3}' || true) (innodb_flush_log_at_trx_commit=1), no Redis,"
  if [ "$one_process" -eq 1 ]; then
    echo "one silo hosting the gateway (production profile, one server process: --one-process), load generator on the same 2 cores."
  else
    echo "one silo and one gateway (production profile, separate processes), load generator on the same 2 cores."
  fi
  wants push && echo "Push stage: the silo's APNs and FCM point at tools/PushFake on loopback (h2c; it checks JWTs, headers and payloads and counts pushes); push settings otherwise default."
  [ -n "$everyday_commits" ] && echo "Everyday stage, silo commits (warm-up and drain included): $everyday_commits."
  echo "Non-default server settings: gateway \`MaxConnections=19000\`, silo \`Dashboard:Enabled=$dashboard\`$([ "${#server_env[@]}" -gt 0 ] && printf '; environment of silo and gateway: `%s`' "${server_env[*]}"). Everything else is the default."
} >"$preamble"
mkdir -p "$(dirname "$out")"
if [ "${#inputs[@]}" -gt 0 ]; then
  loadgen report --inputs "$(IFS=,; echo "${inputs[*]}")" --out "$out" --title "TeamTalk.Orleans benchmark $date_utc" --preamble-file "$preamble"
fi
if [ -n "$micro_md" ]; then
  { echo; cat "$micro_md"; } >>"$out"
fi
tt_log "done in $(tt_secs "$t0" "$(tt_now_ms)") s: $out"
