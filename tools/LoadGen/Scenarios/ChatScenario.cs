using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>chat</c>: P pairs of users; each sending user sends 1:1 text to its peer at R msgs/s (open loop, latency from the
/// intended send time) or flat-out (closed loop, a window of unacked messages per sender). Receivers answer every
/// push with <c>CID_MSG_DATA_ACK</c> as real clients do. Measures ack latency (send → <c>IMMsgDataAck</c>), delivery
/// latency (send → receiver gets <c>IMMsgData</c>), throughput in the measured window, loss (acked, never delivered).
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
        ["message_bytes"] = chat.MessageBytes,
        ["warmup_s"] = chat.Warmup.TotalSeconds,
        ["duration_s"] = chat.Duration.TotalSeconds,
        ["drain_max_s"] = chat.Drain.TotalSeconds,
    };

    public int UsersNeeded => chat.Pairs * 2;

    public Task SetupAsync(CommonOptions common, CancellationToken ct) => Task.CompletedTask;

    public IScenarioWorker CreateWorker(CommonOptions common) => new ChatWorker(common, chat);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"chat: warm-up {chat.Warmup.TotalSeconds:0} s, then measuring {chat.Duration.TotalSeconds:0} s");
        var loadgen = new CpuMeter(context.LoadGenProcesses());
        var go = context.Go();
        await RunContext.SleepUntilAsync(go + Sessions.Ticks(chat.Warmup), ct);
        context.Servers.Start();
        loadgen.Start();
        await Task.WhenAll(context.Workers.Select(w => w.WaitPhaseAsync("drained")));
        var cpu = context.Servers.Stop();
        var ownCpu = loadgen.Stop();
        foreach (var w in context.Workers)
        {
            w.Stop();
        }

        var merged = await context.MergedResultsAsync();
        return BuildReport(context.Common, merged, cpu, ownCpu);
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
        report.Figures["loadgen_cpu"] = ownCpu;
        report.Figures["scheduler_max_lateness_ms"] = r.MaxOf("scheduler_max_lateness_us") / 1000.0;
        report.Figures["acks_per_second"] = s;
        report.Notes.AddRange(r.Notes);

        var offered = chat.Rate > 0 ? $"offered {ScenarioReport.N(chat.Rate * chat.Pairs * chat.SendersPerPair)} msgs/s ({chat.Pairs * chat.SendersPerPair} senders × {chat.Rate} msgs/s)" : $"flat-out, {chat.Pairs * chat.SendersPerPair} senders × {chat.Inflight} in flight";
        report.Row("load", $"{chat.Pairs} pairs, {offered}, {chat.Duration.TotalSeconds:0} s measured after {chat.Warmup.TotalSeconds:0} s warm-up");
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
        }

        report.Row("load generator CPU", $"{ownCpu.Cores:0.00} cores");
        if (lost > 0)
        {
            report.Notes.Add($"LOSS: {lost} acked messages were never delivered to their online receiver");
        }

        return report;
    }
}
