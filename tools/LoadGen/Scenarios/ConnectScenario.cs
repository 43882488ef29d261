using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>connect</c>: ramps to C logged-in connections (discovery, TCP connect from 127.0.0.x, login), as fast as the
/// login concurrency allows, holds them with heartbeats, and reports logins/s, login latency, connections held, and
/// the gateway's and silo's RSS growth per connection.
/// </summary>
internal sealed class ConnectScenario(ConnectOptions connect) : IScenario
{
    public string Name => "connect";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["connections"] = connect.Connections,
        ["hold_s"] = connect.Hold.TotalSeconds,
    };

    public int UsersNeeded => connect.Connections;

    public Task SetupAsync(CommonOptions common, CancellationToken ct) => Task.CompletedTask;

    public IScenarioWorker CreateWorker(CommonOptions common) => new ConnectWorker(common, connect);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        var memoryBefore = context.Servers.Sample();
        context.Live.Phase($"connect: ramping to {connect.Connections:#,0} connections");
        var go = context.Go();
        context.Servers.Start();
        await Task.WhenAll(context.Workers.Select(w => w.WaitPhaseAsync("ramped")));
        var rampSeconds = Stopwatch.GetElapsedTime(go).TotalSeconds;
        var rampCpu = context.Servers.Stop();
        context.Live.Phase($"connect: ramp done in {rampSeconds:0.0} s; holding {connect.Hold.TotalSeconds:0} s");
        context.Servers.Start();
        await Task.Delay(connect.Hold, ct);
        var memoryAfter = context.Servers.Sample();
        var holdCpu = context.Servers.Stop();
        foreach (var w in context.Workers)
        {
            w.Stop();
        }

        var r = await context.MergedResultsAsync();
        var held = r.Counter("held_at_stop");
        var report = new ScenarioReport { Scenario = Name, Label = context.Common.Label, Parameters = Parameters };
        var ok = r.Counter("logins_ok");
        var loginSeconds = (r.MaxOf("ramp_end_ticks") - go) / (double)Stopwatch.Frequency;
        var loginsPerSecond = loginSeconds > 0 ? ok / loginSeconds : 0;
        var login = r.Histogram("login").Summarize();
        var setup = r.Histogram("session_setup").Summarize();
        report.Figures["connections_held"] = held;
        report.Figures["logins_ok"] = ok;
        report.Figures["logins_failed"] = r.Counter("logins_refused") + r.Counter("logins_timed_out") + r.Counter("connect_errors") + r.Counter("discovery_errors");
        report.Figures["logins_per_s"] = loginsPerSecond;
        report.Figures["ramp_s"] = loginSeconds;
        report.Figures["login_latency"] = login;
        report.Figures["session_setup_latency"] = setup;
        report.Figures["dropped_during_hold"] = r.Counter("dropped");
        report.Figures["heartbeats_sent"] = r.Counter("heartbeats_sent");
        report.Figures["heartbeat_echoes"] = r.Counter("heartbeat_echoes");
        report.Figures["ramp_server_cpu"] = rampCpu;
        report.Figures["hold_server_cpu"] = holdCpu;
        report.Row("connections held", $"{ScenarioReport.N(held)} of {ScenarioReport.N(connect.Connections)} ({ScenarioReport.N(report.Figures["logins_failed"] is long f ? f : 0)} logins failed, {ScenarioReport.N(r.Counter("dropped"))} dropped while held)");
        report.Row("logins/s", $"{ScenarioReport.N(loginsPerSecond)} (ramp {loginSeconds:0.0} s, {context.Common.LoginConcurrency} in flight per process × {context.Common.Processes})");
        report.Latency("login (request → reply)", login);
        report.Latency("discovery + connect + login", setup);
        foreach (var role in new[] { "gateway", "silo" })
        {
            var pids = context.Servers.Processes.Where(p => p.Role == role).Select(p => p.Pid).ToList();
            if (pids.Count == 0 || held == 0)
            {
                continue;
            }

            var before = pids.Sum(p => memoryBefore[p].RssKiB);
            var after = pids.Sum(p => memoryAfter[p].RssKiB);
            var perConnection = (after - before) / (double)held;
            report.Figures[$"{role}_rss_kib_before"] = before;
            report.Figures[$"{role}_rss_kib_after"] = after;
            report.Figures[$"{role}_kib_per_connection"] = perConnection;
            report.Row($"{role} RSS", $"{before / 1024.0:0} MiB → {after / 1024.0:0} MiB: {perConnection:0.0} KiB per connection");
        }

        if (rampCpu.Processes.Count > 0)
        {
            report.Row("server CPU during ramp", $"{rampCpu.Cores:0.00} cores; {(ok > 0 ? rampCpu.TotalCpuSeconds * 1e6 / ok : 0):0} µs per login");
            report.Row("server CPU while holding", $"{holdCpu.Cores:0.00} cores");
        }

        report.Notes.AddRange(r.Notes);
        return report;
    }
}
