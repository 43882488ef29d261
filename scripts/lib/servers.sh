# shellcheck shell=bash
# Private MariaDB and Redis servers for run.sh and test.sh.
#
# Source this file; it defines functions only (prefix tt_) and changes no shell options.
# Every server started here is our own process with its own data directory, port and socket:
# no system service is started, stopped or reconfigured, and nothing listens on 3306.
#
#   tt_install_servers               install mariadb-server/redis-server/prometheus when missing
#   tt_need_libspeex LOG [warn]      install libspeex1 (the gateway decodes Speex voice with it) when missing
#   tt_free_port                     print a free loopback TCP port outside the ephemeral range
#   tt_mariadb_start_free DIR        tt_mariadb_start on a free port, retried if the port is taken
#   tt_redis_start_free DIR          the same for redis-server
#   tt_mariadb_start DIR PORT        start (initialising DIR on first use) our own mariadbd
#   tt_redis_start DIR PORT          start our own redis-server
#   tt_start_dotnet NAME DIR DLL LOG PORT SECONDS [ARGS...]
#                                    start a silo or gateway and wait for its port
#   tt_stop_pid PID NAME             stop one process we started (TERM, then KILL)
#   tt_stop_started                  stop everything started through this file, newest first
#
# After tt_mariadb_start: TT_MARIADB_PID, TT_MARIADB_PORT, TT_MARIADB_PASSWORD, TT_MARIADB_SOCKET,
# TT_MARIADB_CS (root connection string without a database). After tt_redis_start: TT_REDIS_PID,
# TT_REDIS_ADDR (host:port).

TT_STARTED_PIDS=()
TT_STARTED_NAMES=()

tt_log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

tt_die() {
  tt_log "error: $*"
  exit 1
}

# Absolute path of a program, looking in PATH and in the sbin directories a non-login root shell
# may lack. Prints nothing and fails when not found.
tt_find_bin() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  for dir in /usr/sbin /usr/local/sbin /sbin /usr/bin /usr/local/bin; do
    if [ -x "$dir/$name" ]; then
      printf '%s\n' "$dir/$name"
      return 0
    fi
  done
  return 1
}

# Installs MariaDB and Redis with apt when their server binaries are missing. Services that the
# packages would start are blocked for the duration of the install (policy-rc.d exit 101): with or
# without systemd, nothing is started on 3306/6379, and a failing service start in a postinst
# (chroot, container) does not matter because we only need the binaries.
tt_install_servers() {
  local -a pkgs=()
  tt_find_bin mariadbd >/dev/null || pkgs+=(mariadb-server)
  tt_find_bin mariadb-install-db >/dev/null || pkgs+=(mariadb-server)
  tt_find_bin mariadb >/dev/null || pkgs+=(mariadb-client)
  tt_find_bin redis-server >/dev/null || pkgs+=(redis-server)
  # Prometheus: only the metrics test starts it (privately, on loopback), to scrape the servers' /metrics.
  tt_find_bin prometheus >/dev/null || pkgs+=(prometheus)
  if [ "${#pkgs[@]}" -eq 0 ]; then
    return 0
  fi
  # de-duplicate
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
  if [ "$(id -u)" -ne 0 ]; then
    tt_die "missing ${pkgs[*]}: install them (apt-get install -y ${pkgs[*]}) or run as root"
  fi
  tt_log "installing ${pkgs[*]} (apt-get)"

  local policy=/usr/sbin/policy-rc.d policy_backup=""
  if [ -e "$policy" ]; then
    policy_backup=$(mktemp)
    cp -p "$policy" "$policy_backup"
  fi
  printf '#!/bin/sh\n# added by TeamTalk.Orleans scripts/lib/servers.sh during apt-get install\nexit 101\n' >"$policy"
  chmod 755 "$policy"

  local rc=0
  apt-get update || rc=$?
  if [ "$rc" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" || rc=$?
  fi

  if [ -n "$policy_backup" ]; then
    mv -f "$policy_backup" "$policy"
  else
    rm -f "$policy"
  fi

  if [ "$rc" -ne 0 ]; then
    tt_log "apt-get exited with $rc (a service that could not start is expected in a chroot); checking binaries"
  fi
  tt_find_bin mariadbd >/dev/null || tt_die "mariadbd still missing after apt-get install"
  tt_find_bin mariadb-install-db >/dev/null || tt_die "mariadb-install-db still missing after apt-get install"
  tt_find_bin mariadb >/dev/null || tt_die "mariadb (client) still missing after apt-get install"
  tt_find_bin redis-server >/dev/null || tt_die "redis-server still missing after apt-get install"
  tt_find_bin prometheus >/dev/null || tt_die "prometheus still missing after apt-get install"
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
tt_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The kernel's ephemeral port range ("LOW HIGH"): outgoing connections take their local port from
# it, so a port chosen there can be taken by any client socket before our server binds it.
tt_ephemeral_range() {
  local range
  range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true)
  # shellcheck disable=SC2086 # two numbers, split on purpose
  set -- $range
  if [ "$#" -eq 2 ]; then
    printf '%s %s\n' "$1" "$2"
  else
    printf '32768 60999\n'
  fi
}

# Ports handed out by this shell and its subshells ($$ is the same in both), so that two ports
# chosen before either server starts still differ.
TT_HANDED_PORTS_FILE=${TMPDIR:-/tmp}/tt-ports.$$

# Prints a loopback TCP port that nothing listens on, outside the ephemeral range (below it when
# there is room, else above it), never the same one twice in this shell.
tt_free_port() {
  local low high from to i port
  touch "$TT_HANDED_PORTS_FILE"
  read -r low high < <(tt_ephemeral_range)
  if [ "$low" -gt 11024 ]; then
    from=10000
    to=$((low - 1))
  else
    from=$((high + 1))
    to=65000
  fi
  [ "$to" -gt "$from" ] || tt_die "no loopback port range outside the ephemeral range $low-$high"
  for i in $(seq 1 200); do
    port=$((from + (RANDOM * 32768 + RANDOM) % (to - from + 1)))
    : "$i"
    grep -qx "$port" "$TT_HANDED_PORTS_FILE" && continue
    tt_port_open "$port" && continue
    if command -v ss >/dev/null 2>&1 && ss -Htan "sport = :$port" 2>/dev/null | grep -q .; then
      continue
    fi
    printf '%s\n' "$port" >>"$TT_HANDED_PORTS_FILE"
    printf '%s\n' "$port"
    return 0
  done
  tt_die "no free loopback port found"
}

# True when LOG says the server could not bind its port (someone took it after we chose it).
tt_lost_bind_race() {
  grep -qiE 'address already in use|bind on tcp/ip port' "$1" 2>/dev/null
}

# tt_mariadb_start_free DIR / tt_redis_start_free DIR — a throwaway server on a free port. When
# another process binds the chosen port first, DIR is wiped and the start is tried again on
# another port (at most 5 times).
tt_mariadb_start_free() {
  tt_start_free tt_mariadb_start "$1"
}

tt_redis_start_free() {
  tt_start_free tt_redis_start "$1"
}

tt_start_free() {
  local start=$1 dir=$2 attempt rc
  for attempt in 1 2 3 4 5; do
    rc=0
    TT_RETRY_ON_BIND=1 "$start" "$dir" "$(tt_free_port)" || rc=$?
    [ "$rc" -eq 0 ] && return 0
    [ "$rc" -eq 3 ] || tt_die "$start failed"
    tt_log "port taken before the server could bind it; retrying on another port ($attempt/5)"
    rm -rf "$dir"
  done
  tt_die "$start: every port tried was taken"
}

tt_register_started() {
  TT_STARTED_PIDS+=("$1")
  TT_STARTED_NAMES+=("$2")
}

# Stops one process we started: SIGTERM, wait up to 60 s (MariaDB flushes InnoDB), then SIGKILL.
tt_stop_pid() {
  local pid=$1 name=${2:-process} i
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    : "$i"
  done
  if kill -0 "$pid" 2>/dev/null; then
    tt_log "$name (pid $pid) did not stop within 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  tt_log "stopped $name (pid $pid)"
}

# Stops everything registered by tt_mariadb_start/tt_redis_start/tt_register_started, newest first.
tt_stop_started() {
  local i
  for ((i = ${#TT_STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    tt_stop_pid "${TT_STARTED_PIDS[$i]}" "${TT_STARTED_NAMES[$i]}"
  done
  TT_STARTED_PIDS=()
  TT_STARTED_NAMES=()
  rm -f "$TT_HANDED_PORTS_FILE"
}

# tt_mariadb_start DIR PORT
# DIR holds my.cnf, data/, the socket, pid and log, and root.password (created on first use).
tt_mariadb_start() {
  local dir=$1 port=$2
  local mariadbd install_db client
  mariadbd=$(tt_find_bin mariadbd) || tt_die "mariadbd not found (run tt_install_servers)"
  install_db=$(tt_find_bin mariadb-install-db) || tt_die "mariadb-install-db not found"
  client=$(tt_find_bin mariadb) || tt_die "mariadb client not found"

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local cnf=$dir/my.cnf data=$dir/data sock=$dir/mysqld.sock pidf=$dir/mysqld.pid
  local log=$dir/mysqld.log pwfile=$dir/root.password
  if [ ${#sock} -gt 100 ]; then
    tt_die "socket path too long for a unix socket: $sock"
  fi
  if tt_port_open "$port"; then
    [ "${TT_RETRY_ON_BIND:-0}" = 1 ] && return 3
    tt_die "port $port on 127.0.0.1 is already in use (another server?); choose another port"
  fi
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    tt_die "a mariadbd (pid $(cat "$pidf")) is already running on $dir; stop it first"
  fi

  cat >"$cnf" <<EOF
# generated by scripts/lib/servers.sh; rewritten on every start
[mysqld]
user=root
datadir=$data
socket=$sock
pid-file=$pidf
log-error=$log
port=$port
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
innodb_flush_log_at_trx_commit=1
innodb_buffer_pool_size=512M
sql_mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION
max_connections=1000
max_allowed_packet=64M
EOF

  local fresh=0
  if [ ! -d "$data/mysql" ]; then
    fresh=1
    rm -rf "$data"
    mkdir -p "$data"
    tt_log "initialising MariaDB data directory $data"
    if ! "$install_db" --defaults-file="$cnf" --user=root --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install-db.log" 2>&1; then
      cat "$dir/install-db.log" >&2
      tt_die "mariadb-install-db failed (log: $dir/install-db.log)"
    fi
  elif [ ! -s "$pwfile" ]; then
    tt_die "$data exists but $pwfile is missing: delete $dir to start over"
  fi

  "$mariadbd" --defaults-file="$cnf" >>"$dir/mysqld.stdout" 2>&1 &
  TT_MARIADB_PID=$!
  tt_register_started "$TT_MARIADB_PID" "mariadbd:$port"

  # Wait until it accepts connections on the socket (root has no password yet on a fresh datadir).
  local i ok=0 pw=""
  if [ "$fresh" -eq 0 ]; then
    pw=$(cat "$pwfile")
  fi
  for i in $(seq 1 600); do
    if ! kill -0 "$TT_MARIADB_PID" 2>/dev/null; then
      if [ "${TT_RETRY_ON_BIND:-0}" = 1 ] && tt_lost_bind_race "$log"; then
        return 3
      fi
      tail -n 30 "$log" >&2 || true
      tt_die "mariadbd exited during start-up (log: $log)"
    fi
    if MYSQL_PWD="$pw" "$client" --no-defaults --protocol=socket --socket="$sock" -uroot \
      -N -e 'SELECT 1' >/dev/null 2>&1; then
      ok=1
      break
    fi
    sleep 0.1
    : "$i"
  done
  [ "$ok" -eq 1 ] || tt_die "mariadbd did not accept connections within 60 s (log: $log)"

  if [ "$fresh" -eq 1 ]; then
    pw=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    (umask 077 && printf '%s\n' "$pw" >"$pwfile")
    # root over TCP from 127.0.0.1 (skip-name-resolve: 'localhost' does not match TCP clients)
    "$client" --no-defaults --protocol=socket --socket="$sock" -uroot <<EOF || tt_die "setting the MariaDB root password failed"
ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
  fi

  # The TCP port must answer too (that is what the .NET code uses).
  for i in $(seq 1 100); do
    if MYSQL_PWD="$pw" "$client" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot \
      -N -e 'SELECT 1' >/dev/null 2>&1; then
      ok=2
      break
    fi
    sleep 0.1
    : "$i"
  done
  [ "$ok" -eq 2 ] || tt_die "mariadbd does not accept TCP connections on 127.0.0.1:$port (log: $log)"

  TT_MARIADB_PORT=$port
  TT_MARIADB_PASSWORD=$pw
  TT_MARIADB_SOCKET=$sock
  TT_MARIADB_CS="Server=127.0.0.1;Port=$port;User ID=root;Password=$pw"
  export TT_MARIADB_PID TT_MARIADB_PORT TT_MARIADB_PASSWORD TT_MARIADB_SOCKET TT_MARIADB_CS
  tt_log "mariadbd running (pid $TT_MARIADB_PID, 127.0.0.1:$port, data $data)"
}

# tt_redis_start DIR PORT — no persistence; pidfile and log in DIR.
tt_redis_start() {
  local dir=$1 port=$2 redis
  redis=${TT_REDIS_SERVER:-$(tt_find_bin redis-server)} || tt_die "redis-server not found (run tt_install_servers)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if tt_port_open "$port"; then
    [ "${TT_RETRY_ON_BIND:-0}" = 1 ] && return 3
    tt_die "port $port on 127.0.0.1 is already in use (another server?); choose another port"
  fi
  "$redis" --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --daemonize no --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --protected-mode yes >>"$dir/redis.stdout" 2>&1 &
  TT_REDIS_PID=$!
  tt_register_started "$TT_REDIS_PID" "redis-server:$port"
  local i
  for i in $(seq 1 300); do
    if ! kill -0 "$TT_REDIS_PID" 2>/dev/null; then
      if [ "${TT_RETRY_ON_BIND:-0}" = 1 ] && tt_lost_bind_race "$dir/redis.log"; then
        return 3
      fi
      tail -n 20 "$dir/redis.log" >&2 || true
      tt_die "redis-server exited during start-up (log: $dir/redis.log)"
    fi
    if tt_redis_ping 127.0.0.1 "$port"; then
      TT_REDIS_ADDR=127.0.0.1:$port
      export TT_REDIS_PID TT_REDIS_ADDR
      tt_log "redis-server running (pid $TT_REDIS_PID, $TT_REDIS_ADDR)"
      return 0
    fi
    sleep 0.1
    : "$i"
  done
  tt_die "redis-server did not answer PING within 30 s (log: $dir/redis.log)"
}

# tt_redis_ping HOST PORT — true when the server answers +PONG.
tt_redis_ping() {
  local host=$1 port=$2 reply=""
  {
    exec 3<>"/dev/tcp/$host/$port" || return 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || true
    exec 3>&-
  } 2>/dev/null
  [ "${reply%$'\r'}" = "+PONG" ]
}

# tt_wait_tcp HOST PORT SECONDS [PID] — waits until HOST:PORT accepts connections; fails early
# when PID (the process expected to listen) has exited.
tt_wait_tcp() {
  local host=$1 port=$2 secs=$3 pid=${4:-} i
  for i in $(seq 1 $((secs * 10))); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    sleep 0.1
    : "$i"
  done
  return 1
}

# tt_start_dotnet NAME DIR DLL LOG PORT SECONDS [ARGS...] — starts `dotnet DLL ARGS` in DIR (output to LOG; the
# environment entries NAME=VALUE of the array TT_SERVER_ENV, when set, are added) and waits up to SECONDS until
# 127.0.0.1:PORT (TT_WAIT_HOST:PORT when set) accepts connections. TT_SERVER_PID is the process. Returns 0 when it is up, 2 when it exited (the
# tail of LOG is printed), 1 when the port did not open in time.
tt_start_dotnet() {
  local name=$1 dir=$2 dll=$3 log=$4 port=$5 secs=$6 rc=0
  shift 6
  tt_log "starting the $name (log: $log)"
  (
    cd "$dir" || exit 1
    exec env ${TT_SERVER_ENV[@]+"${TT_SERVER_ENV[@]}"} dotnet "$dll" "$@"
  ) >"$log" 2>&1 &
  TT_SERVER_PID=$!
  tt_wait_tcp "${TT_WAIT_HOST:-127.0.0.1}" "$port" "$secs" "$TT_SERVER_PID" || rc=$?
  if [ "$rc" -eq 2 ]; then
    tail -n 40 "$log" >&2 || true
  fi
  return "$rc"
}

# Milliseconds since the epoch, and "S.s" seconds between two such values.
tt_now_ms() {
  date +%s%3N
}

tt_secs() {
  local ms=$(($2 - $1))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

# tt_build_web ROOT LOG: builds the web chat client (ROOT/web: npm ci && npm run build -> ROOT/web/dist), installing
# Debian's nodejs and npm first when npm is missing (as root). Output goes to LOG; on failure its tail is shown.
tt_build_web() {
  local root=$1 log=$2
  mkdir -p "$(dirname "$log")"
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      tt_die "npm not found: install it (apt-get install -y nodejs npm) or run as root"
    fi
    tt_log "installing nodejs npm (apt-get)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm; } >>"$log" 2>&1 ||
      tt_die "apt-get install nodejs npm failed (log: $log)"
  fi
  tt_log "web client: npm ci && npm run build (log: $log)"
  if ! (cd "$root/web" && npm ci --no-audit --no-fund && npm run build) >>"$log" 2>&1; then
    tail -n 30 "$log" >&2 || true
    tt_die "web client build failed (log: $log)"
  fi
}

# True when the dynamic linker finds libspeex.so.1 (Debian's libspeex1).
tt_have_libspeex() {
  local ldconfig
  if ldconfig=$(tt_find_bin ldconfig) && "$ldconfig" -p 2>/dev/null | grep -q 'libspeex\.so\.1 '; then
    return 0
  fi
  dpkg-query -W -f='${Status}' libspeex1 2>/dev/null | grep -q 'install ok installed'
}

# tt_need_libspeex LOG [warn]: Debian's libspeex1, which the gateway loads to turn native clients' Speex voice messages
# into WAV for the web client (POST /api/voice/wav). Installed with apt-get when missing (as root). Without root: an
# error, or with "warn" a warning (the gateway then answers 503 there and the web client offers the download only).
tt_need_libspeex() {
  local log=$1 mode=${2:-}
  mkdir -p "$(dirname "$log")"
  tt_have_libspeex && return 0
  if [ "$(id -u)" -ne 0 ]; then
    if [ "$mode" = warn ]; then
      tt_log "warning: libspeex1 is missing (apt-get install -y libspeex1): the web client will not play native clients' voice messages"
      return 0
    fi
    tt_die "libspeex1 not found: install it (apt-get install -y libspeex1) or run as root"
  fi
  tt_log "installing libspeex1 (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libspeex1; } >>"$log" 2>&1 ||
    tt_die "apt-get install libspeex1 failed (log: $log)"
  tt_have_libspeex || tt_die "libspeex.so.1 still not found after apt-get install libspeex1 (log: $log)"
}

# tt_need_chromium LOG: Debian's chromium for the browser tests (driven by playwright-core with its path; no browser download).
tt_need_chromium() {
  local log=$1
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    tt_die "chromium not found: install it (apt-get install -y chromium) or run as root"
  fi
  tt_log "installing chromium (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } >>"$log" 2>&1 ||
    tt_die "apt-get install chromium failed (log: $log)"
}
