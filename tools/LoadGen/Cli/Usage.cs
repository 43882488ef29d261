namespace TeamTalk.Orleans.LoadGen.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public const string Text = """
        usage: loadgen COMMAND [options]          (docs/benchmarks.md has the details)

        Scenarios (each bounded in time and count; loopback targets only unless --allow-remote):
          connect   --connections C [--hold 30s] [--ramp-limit 3m]
                    ramp to C logged-in connections, hold them with heartbeats; logins/s, login latency,
                    gateway/silo RSS per connection
          chat      --pairs P [--rate 18 | --rate 0 --inflight 4] [--one-way] [--duration 60s] [--warmup 5s]
                    [--drain 10s] [--message-bytes 40]
                    1:1 text between the two users of each pair (both send; --one-way: the first only) at R msgs/s
                    each (open loop; latency from the intended send time) or flat-out (closed loop); ack and
                    delivery latency, msgs/s, loss, server CPU per delivered message
          group     --groups G --members S [--rate 1] [--group-setup protocol|db] [--duration 30s]
                    group text; deliveries/s and fan-out latency (exit code 3 when the server does not serve it)
          mixed     --users U [--duration 60s] [--think 1s] [--group-size 8]
                    1:1 and group chat, history pages, unread counts, recent sessions, logout/login, at random
          history   --db CS [--messages 100000] [--readers 4] [--depth 4] [--page 20] [--duration 30s]
                    random history pages of one conversation of N messages (filled in MySQL when shorter)

        Tools:
          seed      --db CS --count N          users <prefix><first-user>.. with --password, in --department
          ceiling   --db CS [--duration 10s] [--batch 100]
                    rows/s MariaDB accepts as B-row durable INSERT transactions from one client
          report    --inputs a.json,b.json --out FILE.md [--title T] [--preamble-file F]

        Options for every scenario:
          --discovery URL        HTTP discovery asked before each login (default http://127.0.0.1:8080/msg_server)
          --tcp HOST:PORT        connect straight to a TeamTalk TCP address instead
          --prefix lg --first-user 1 --password teamtalk
                                 users lg1, lg2, … (scenario user i is <prefix><first-user + i>)
          --seed N --db CS       create users first (same seeding library as the run command), idempotent
          --client-type android|ios|windows|mac   (default android: PC logins broadcast presence)
          --processes K          spread the connections over K worker processes (per-process open-file limit)
          --source-addresses N   connect from 127.0.0.1 … 127.0.0.N (default 8)
          --login-concurrency N  logins in flight per process (default 64)
          --login-timeout 15s --heartbeat 30s
          --pids silo=P,gateway=P,mariadb=P,redis=P | --discover-pids
                                 server processes whose CPU (/proc utime+stime) and RSS are measured
          --json FILE            every figure as JSON     --label TEXT     --quiet (no live line)
          --allow-remote         allow non-loopback targets (operators' own deployments only)
        """;
}
