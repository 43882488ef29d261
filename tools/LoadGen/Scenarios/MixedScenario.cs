using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>mixed</c>: a day in fast motion. The users of each load-generator process are put in groups of
/// <see cref="MixedOptions.GroupSize"/> (created over the protocol as clients do). Each user, between exponentially
/// distributed pauses, picks: a 1:1 text to a random other user (50%), a text to its group (10%), a history page of a
/// 1:1 conversation (10%), its unread counts (10%), its recent sessions (10%), or logs out and in again (10%). Pushed
/// messages are acked like a client. Reports per-action rates, latencies and failures.
/// </summary>
internal sealed class MixedScenario(MixedOptions mixed) : IScenario
{
    public static readonly string[] Actions = ["chat", "group", "history", "unread", "recent", "relogin"];

    public string Name => "mixed";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["users"] = mixed.Users,
        ["duration_s"] = mixed.Duration.TotalSeconds,
        ["think_mean_s"] = mixed.Think.TotalSeconds,
        ["group_size"] = mixed.GroupSize,
        ["mix"] = "1:1 chat 50%, group chat 10%, history 10%, unread 10%, recent sessions 10%, logout+login 10%",
    };

    public int UsersNeeded => mixed.Users;

    public Task SetupAsync(CommonOptions common, CancellationToken ct) => Task.CompletedTask;

    public IScenarioWorker CreateWorker(CommonOptions common) => new MixedWorker(common, mixed);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"mixed: {mixed.Users} users for {mixed.Duration.TotalSeconds:0} s");
        context.Go();
        context.Servers.Start();
        var r = await context.MergedResultsAsync();
        var cpu = context.Servers.Stop();
        var report = new ScenarioReport { Scenario = Name, Label = context.Common.Label, Parameters = Parameters };
        var seconds = mixed.Duration.TotalSeconds;
        foreach (var action in Actions)
        {
            var latency = r.Histogram(action).Summarize();
            report.Figures[action] = new
            {
                per_s = latency.Count / seconds,
                failed = r.Counter(action + "_failed"),
                latency,
            };
            report.Latency($"{action} ({latency.Count / seconds:0.0}/s, {r.Counter(action + "_failed")} failed)", latency);
        }

        report.Figures["groups_ready"] = r.Counter("groups_ready");
        report.Row("groups", $"{r.Counter("groups_ready")} groups of up to {mixed.GroupSize} members");
        report.Figures["deliveries"] = r.Counter("deliveries");
        report.Figures["server_cpu"] = cpu;
        report.Row("pushed messages received", ScenarioReport.N(r.Counter("deliveries")));
        report.Row("server CPU", $"{cpu.Cores:0.00} cores");
        report.Notes.AddRange(r.Notes);
        return report;
    }
}
