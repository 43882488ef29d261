using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>chat</c>: P pairs of users; each sending user sends 1:1 text to its peer at R msgs/s (open loop, latency from the
/// intended send time) or flat-out (closed loop, a window of unacked messages per sender). Receivers answer every
/// push with <c>CID_MSG_DATA_ACK</c> as real clients do. Measures ack latency (send → <c>IMMsgDataAck</c>), delivery
/// latency (send → receiver gets <c>IMMsgData</c>), throughput in the measured window, loss (acked, never delivered).
/// With <c>--offline-receivers</c> the second user of each pair never logs in and holds a push token: every message
/// becomes a push notification, and with <c>--push-stats</c> the fake provider's count gives the pushes/s.
/// </summary>
internal sealed class ChatScenario(ChatOptions chat) : IScenario
{
    public string Name => "chat";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["pairs"] = chat.Pairs,
        ["senders"] = chat.Pairs * chat.SendersPerPair,
        ["rate_per_sender"] = chat.Rate,
        ["mode"] = chat.Rate > 0 ? "rate (open loop)" : $"flat-out (closed loop, {chat.Inflight} in flight per sender)",
        ["offered_msgs_per_s"] = chat.Rate > 0 ? chat.Rate * chat.Pairs * chat.SendersPerPair : null,
        ["sends"] = chat.Probe ? "latest-message-id requests (--probe: no messages, no database, no push)" : "messages",
        ["receivers"] = !chat.OfflineReceivers ? "online" : chat.ReceiversHoldTokens ? $"offline, {chat.ReceiverDevice} push tokens" : "offline, no push tokens",
        ["message_bytes"] = chat.MessageBytes,
        ["warmup_s"] = chat.Warmup.TotalSeconds,
        ["duration_s"] = chat.Duration.TotalSeconds,
        ["drain_max_s"] = chat.Drain.TotalSeconds,
    };

    public int UsersNeeded => chat.Pairs * 2;

    /// <summary>With offline receivers: stores a push token for each (<c>lg-push-&lt;id&gt;</c>, replacing the user's others), or with <c>--receiver-device none</c> removes their tokens.</summary>
    public async Task SetupAsync(CommonOptions common, CancellationToken ct)
    {
        if (!chat.OfflineReceivers)
        {
            return;
        }

        var receivers = await ReceiverIdsAsync(common, [.. Enumerable.Range(0, chat.Pairs).Select(p => (2 * p) + 1)], ct);
        await using var connection = new MySqlConnection(common.Db);
        await connection.OpenAsync(ct);
        foreach (var chunk in receivers.Chunk(500))
        {
            await using var command = new MySqlCommand { Connection = connection };
            var sql = new StringBuilder("DELETE FROM TeamTalkDeviceToken WHERE userId IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@u{i}");
                command.Parameters.AddWithValue($"@u{i}", chunk[i]);
            }

            sql.Append(')');
            if (chat.ReceiversHoldTokens)
            {
                sql.Append("; INSERT INTO TeamTalkDeviceToken (token, userId, clientType, updated) VALUES ");
                for (var i = 0; i < chunk.Length; i++)
                {
                    sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@t{i}, @u{i}, @c, UNIX_TIMESTAMP())");
                    command.Parameters.AddWithValue($"@t{i}", PushToken(chunk[i]));
                }

                command.Parameters.AddWithValue("@c", chat.ReceiverClientType);
                sql.Append(" ON DUPLICATE KEY UPDATE userId = VALUES(userId), clientType = VALUES(clientType)");
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The push token the offline receiver <paramref name="userId"/> holds.</summary>
    public static string PushToken(uint userId) => "lg-push-" + userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The user ids of the users at <paramref name="indices"/> (relative to --first-user), in order; they must exist.</summary>
    public static async Task<uint[]> ReceiverIdsAsync(CommonOptions common, IReadOnlyList<int> indices, CancellationToken ct)
    {
        var cs = common.Db ?? throw new UsageException("--offline-receivers needs --db (the receivers' ids and push tokens)");
        await using var connection = new MySqlConnection(cs);
        await connection.OpenAsync(ct);
        var names = indices.Select(common.UserName).ToList();
        var ids = await GroupStore.UserIdsAsync(connection, names, ct);
        return [.. names.Select(n => ids.TryGetValue(n, out var id) ? id : throw new InvalidOperationException($"user {n} does not exist (seed with --seed)"))];
    }

    public IScenarioWorker CreateWorker(CommonOptions common) => new ChatWorker(common, chat);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"chat: warm-up {chat.Warmup.TotalSeconds:0} s, then measuring {chat.Duration.TotalSeconds:0} s");
        var loadgen = new CpuMeter(context.LoadGenProcesses());
        using var pushStats = chat.PushStats is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var pushesBefore = await PushesAsync(pushStats, ct);
        var go = context.Go();
        await RunContext.SleepUntilAsync(go + Sessions.Ticks(chat.Warmup), ct);
        context.Servers.Start();
        loadgen.Start();
        var pushesAtStart = await PushesAsync(pushStats, ct);
        long? pushesAtEnd = null;
        var drained = Task.WhenAll(context.Workers.Select(w => w.WaitPhaseAsync("drained")));
        if (pushStats is not null)
        {
            await RunContext.SleepUntilAsync(go + Sessions.Ticks(chat.Warmup + chat.Duration), ct);
            pushesAtEnd = await PushesAsync(pushStats, ct);
        }

        await drained;

        // The server's CPU includes the pushes still queued when the last ack arrived (the meter stops once they are sent).
        var pushesAfter = await SettledPushesAsync(pushStats, ct);
        var cpu = context.Servers.Stop();
        var ownCpu = loadgen.Stop();
        foreach (var w in context.Workers)
        {
            w.Stop();
        }

        var merged = await context.MergedResultsAsync();
        var report = BuildReport(context.Common, merged, cpu, ownCpu);
        if (pushStats is not null)
        {
            AddPushes(report, merged, pushesAtEnd - pushesAtStart, pushesAfter - pushesBefore);
        }

        return report;
    }

    /// <summary>Pushes the fake provider answered (accepted or invalid) so far; null without --push-stats.</summary>
    private async Task<long?> PushesAsync(HttpClient? http, CancellationToken ct)
    {
        if (http is null)
        {
            return null;
        }

        var stats = await http.GetFromJsonAsync<PushCounters>(chat.PushStats, ct) ?? throw new InvalidOperationException("--push-stats answered null");
        return stats.Apns + stats.Fcm + stats.Invalid;
    }

    /// <summary>The fake provider's count once it stopped growing for 2 s (queued pushes sent), at most 30 s after the drain.</summary>
    private async Task<long?> SettledPushesAsync(HttpClient? http, CancellationToken ct)
    {
        var last = await PushesAsync(http, ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var quiet = 0; http is not null && quiet < 4 && DateTime.UtcNow < deadline; )
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            var now = await PushesAsync(http, ct);
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }

        return last;
    }

    private void AddPushes(ScenarioReport report, WorkerResult r, long? inWindow, long? total)
    {
        var seconds = chat.Duration.TotalSeconds;
        var acked = r.Counter("acked_total");
        report.Figures["pushes_per_s"] = inWindow / seconds;
        report.Figures["pushes_total"] = total;
        report.Figures["pushes_missing"] = chat.ReceiversHoldTokens ? acked - total : null;
        report.Row("pushes answered by the fake provider", $"{ScenarioReport.N((inWindow ?? 0) / seconds)} pushes/s in the window; {ScenarioReport.N(total ?? 0)} in the run for {ScenarioReport.N(acked)} acked messages");
        if (chat.ReceiversHoldTokens && total < acked)
        {
            report.Notes.Add($"PUSHES MISSING: {acked - total} acked messages to offline receivers got no push within 30 s after the run");
        }
    }

    private ScenarioReport BuildReport(CommonOptions common, WorkerResult r, CpuWindow cpu, CpuWindow ownCpu)
    {
        var seconds = chat.Duration.TotalSeconds;
        var ack = r.Histogram("ack").Summarize();
        var delivery = r.Histogram("delivery").Summarize();
        var sentWindow = r.Counter("sent_window");
        var ackedWindow = r.Counter("acked_window");
        var deliveredWindow = r.Counter("delivered_window");
        var lost = r.Counter("lost");
        var unacked = r.Counter("sent_total") - r.Counter("acked_total");
        var warmupSeconds = (int)chat.Warmup.TotalSeconds;
        var perSecond = r.Series.TryGetValue("acks_per_second", out var s)
            ? s.Skip(warmupSeconds + 1).Take(Math.Max(0, (int)seconds - 2)).ToArray()
            : [];
        var report = new ScenarioReport { Scenario = Name, Label = common.Label, Parameters = Parameters };
        var serverCpu = cpu.TotalCpuSeconds;
        double? microsPerMessage = deliveredWindow > 0 && cpu.Processes.Count > 0 ? serverCpu * 1e6 / deliveredWindow : null;
        double? microsPerAcked = ackedWindow > 0 && cpu.Processes.Count > 0 ? serverCpu * 1e6 / ackedWindow : null;

        // The same figure split by server process (role → µs), over the delivered messages (the acked ones when none is delivered).
        var perMessageOf = deliveredWindow > 0 ? deliveredWindow : ackedWindow;
        var microsByRole = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (perMessageOf > 0)
        {
            foreach (var role in cpu.Processes.GroupBy(p => p.Role))
            {
                microsByRole[role.Key] = role.Sum(p => p.CpuSeconds) * 1e6 / perMessageOf;
            }
        }
        report.Figures["streams"] = r.Counter("streams");
        report.Figures["sent_msgs_per_s"] = sentWindow / seconds;
        report.Figures["acked_msgs_per_s"] = ackedWindow / seconds;
        report.Figures["delivered_msgs_per_s"] = deliveredWindow / seconds;
        report.Figures["acked_per_second_min"] = perSecond.Length > 0 ? perSecond.Min() : null;
        report.Figures["acked_per_second_max"] = perSecond.Length > 0 ? perSecond.Max() : null;
        report.Figures["ack_latency"] = ack;
        report.Figures["delivery_latency"] = delivery;
        report.Figures["sent_total"] = r.Counter("sent_total");
        report.Figures["acked_total"] = r.Counter("acked_total");
        report.Figures["delivered_total"] = r.Counter("delivered_total");
        report.Figures["lost_acked_not_delivered"] = lost;
        report.Figures["unacked"] = unacked;
        report.Figures["duplicate_deliveries"] = r.Counter("duplicates");
        report.Figures["out_of_order_deliveries"] = r.Counter("out_of_order");
        report.Figures["send_failures"] = r.Counter("send_failures");
        report.Figures["connections_closed_by_server"] = r.Counter("closed_during_run");
        report.Figures["pairs_incomplete"] = r.Counter("pairs_incomplete");
        report.Figures["login"] = r.Histogram("login").Summarize();
        report.Figures["logins_failed"] = r.Counter("logins_refused") + r.Counter("logins_timed_out") + r.Counter("connect_errors") + r.Counter("discovery_errors");
        report.Figures["server_cpu"] = cpu;
        report.Figures["server_cpu_us_per_delivered_msg"] = microsPerMessage;
        report.Figures["server_cpu_us_per_acked_msg"] = microsPerAcked;
        report.Figures["server_cpu_us_per_msg_by_process"] = microsByRole;
        report.Figures["loadgen_cpu"] = ownCpu;
        // The load generator does the same work per message whatever the server build, so its CPU time measures how fast
        // the machine was during the window: the ratio compares builds across runs with half the spread of µs per message.
        double? perLoadgen = cpu.TotalCpuSeconds > 0 && ownCpu.TotalCpuSeconds > 0 ? cpu.TotalCpuSeconds / ownCpu.TotalCpuSeconds : null;
        report.Figures["server_cpu_per_loadgen_cpu"] = perLoadgen;
        report.Figures["scheduler_max_lateness_ms"] = r.MaxOf("scheduler_max_lateness_us") / 1000.0;
        report.Figures["acks_per_second"] = s;
        report.Notes.AddRange(r.Notes);

        var offered = chat.Rate > 0 ? $"offered {ScenarioReport.N(chat.Rate * chat.Pairs * chat.SendersPerPair)} msgs/s ({chat.Pairs * chat.SendersPerPair} senders × {chat.Rate} msgs/s)" : $"flat-out, {chat.Pairs * chat.SendersPerPair} senders × {chat.Inflight} in flight";
        report.Row("load", $"{chat.Pairs} pairs{(chat.OfflineReceivers ? $" (receivers {Parameters["receivers"]})" : string.Empty)}, {offered}, {chat.Duration.TotalSeconds:0} s measured after {chat.Warmup.TotalSeconds:0} s warm-up");
        report.Row("sent / acked / delivered", $"{ScenarioReport.N(sentWindow / seconds)} / {ScenarioReport.N(ackedWindow / seconds)} / {ScenarioReport.N(deliveredWindow / seconds)} msgs/s");
        if (perSecond.Length > 0)
        {
            report.Row("acked per second (min … max)", $"{ScenarioReport.N(perSecond.Min())} … {ScenarioReport.N(perSecond.Max())}");
        }

        report.Latency("ack latency", ack);
        report.Latency("delivery latency", delivery);
        report.Row("loss (acked, not delivered)", ScenarioReport.N(lost));
        report.Row("unacked / duplicates / out of order", $"{ScenarioReport.N(unacked)} / {ScenarioReport.N(r.Counter("duplicates"))} / {ScenarioReport.N(r.Counter("out_of_order"))}");
        if (cpu.Processes.Count > 0)
        {
            report.Row("server CPU", $"{cpu.Cores:0.00} cores ({string.Join(", ", cpu.Processes.GroupBy(p => p.Role).Select(g => $"{g.Key} {g.Sum(p => p.CpuSeconds) / cpu.WallSeconds:0.00}"))})");
            report.Row("server CPU per delivered message", microsPerMessage is { } us ? $"{us:0} µs" : "—");
            report.Row(
                $"server CPU per {(deliveredWindow > 0 ? "delivered" : "acked")} message by process",
                microsByRole.Count > 0 ? string.Join(", ", microsByRole.Select(r => $"{r.Key} {r.Value:0} µs")) : "—");
            report.Row("server CPU per acked message", microsPerAcked is { } perAcked ? $"{perAcked:0} µs{(chat.Probe ? " (a latest-message-id request each: the request round trip alone)" : chat.ReceiversHoldTokens ? " (every receiver offline: a push each)" : chat.OfflineReceivers ? " (every receiver offline, no token)" : string.Empty)}" : "—");
        }

        report.Row("load generator CPU", $"{ownCpu.Cores:0.00} cores");
        report.Row("server CPU ÷ load generator CPU (for A/B runs)", perLoadgen is { } ratio ? $"{ratio:0.00}" : "—");
        if (lost > 0)
        {
            report.Notes.Add($"LOSS: {lost} acked messages were never delivered to their online receiver");
        }

        return report;
    }
}

/// <summary>The counters of tools/PushFake's GET /stats.</summary>
internal sealed record PushCounters(long Apns, long Fcm, long Invalid, long Refused, long Held);
