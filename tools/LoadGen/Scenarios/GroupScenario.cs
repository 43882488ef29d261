using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Data.Seeding;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// <c>group</c>: G groups of S members (users g·S … g·S+S−1); every member sends group text
/// (<c>MSG_TYPE_GROUP_TEXT</c> to the group id) at R msgs/s. Measures acks, deliveries to the other members
/// (deliveries/s, fan-out latency from the intended send time) and loss per receiver. Groups are created over the
/// protocol (<c>CID_GROUP_CREATE_REQUEST</c>, temporary groups, as clients do) or as IMGroup/IMGroupMember rows (--group-setup db).
/// A server that acks none of the messages is reported as not serving group messages, with no figures made up.
/// </summary>
internal sealed class GroupScenario(GroupOptions group) : IScenario
{
    public string Name => "group";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["groups"] = group.Groups,
        ["members"] = group.Members,
        ["rate_per_member"] = group.Rate,
        ["offered_msgs_per_s"] = group.Rate * group.Groups * group.Members,
        ["expected_deliveries_per_s"] = group.Rate * group.Groups * group.Members * (group.Members - 1),
        ["group_setup"] = group.Setup,
        ["duration_s"] = group.Duration.TotalSeconds,
    };

    public int UsersNeeded => group.Groups * group.Members;

    public static string GroupName(CommonOptions common, int g) => string.Create(CultureInfo.InvariantCulture, $"{common.Prefix}-group-{common.FirstUser}-{g}");

    public async Task SetupAsync(CommonOptions common, CancellationToken ct)
    {
        if (group.Setup != "db")
        {
            return;
        }

        var cs = common.Db ?? throw new UsageException("--group-setup db needs --db");
        await using var connection = new MySqlConnection(cs);
        await connection.OpenAsync(ct);
        var names = Enumerable.Range(0, UsersNeeded).Select(common.UserName).ToList();
        var ids = await GroupStore.UserIdsAsync(connection, names, ct);
        var seeder = new UserSeeder(cs, NullLogger<UserSeeder>.Instance);
        for (var g = 0; g < group.Groups; g++)
        {
            var members = names.Skip(g * group.Members).Take(group.Members)
                .Select(n => ids.TryGetValue(n, out var id) ? id : throw new InvalidOperationException($"user {n} does not exist (seed with --seed)"))
                .ToList();
            await seeder.EnsureGroupAsync(GroupName(common, g), members, groupType: 2, ct);
        }
    }

    public IScenarioWorker CreateWorker(CommonOptions common) => new GroupWorker(common, group);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"group: warm-up {group.Warmup.TotalSeconds:0} s, then measuring {group.Duration.TotalSeconds:0} s");
        var go = context.Go();
        await RunContext.SleepUntilAsync(go + Sessions.Ticks(group.Warmup), ct);
        context.Servers.Start();
        await Task.WhenAll(context.Workers.Select(w => w.WaitPhaseAsync("drained")));
        var cpu = context.Servers.Stop();
        foreach (var w in context.Workers)
        {
            w.Stop();
        }

        var r = await context.MergedResultsAsync();
        var seconds = group.Duration.TotalSeconds;
        var report = new ScenarioReport { Scenario = Name, Label = context.Common.Label, Parameters = Parameters };
        var ack = r.Histogram("ack").Summarize();
        var fanout = r.Histogram("delivery").Summarize();
        var sent = r.Counter("sent_total");
        var acked = r.Counter("acked_total");
        var delivered = r.Counter("delivered_total");
        report.Figures["groups_ready"] = r.Counter("groups_ready");
        report.Figures["sent_msgs_per_s"] = r.Counter("sent_window") / seconds;
        report.Figures["acked_msgs_per_s"] = r.Counter("acked_window") / seconds;
        report.Figures["deliveries_per_s"] = r.Counter("delivered_window") / seconds;
        report.Figures["ack_latency"] = ack;
        report.Figures["fanout_latency"] = fanout;
        report.Figures["sent_total"] = sent;
        report.Figures["acked_total"] = acked;
        report.Figures["delivered_total"] = delivered;
        report.Figures["lost_acked_not_delivered"] = r.Counter("lost");
        report.Figures["server_cpu"] = cpu;
        report.Figures["server_cpu_us_per_delivery"] = r.Counter("delivered_window") > 0 && cpu.Processes.Count > 0 ? cpu.TotalCpuSeconds * 1e6 / r.Counter("delivered_window") : null;
        report.Notes.AddRange(r.Notes);
        report.Row("groups", $"{r.Counter("groups_ready")} of {group.Groups} set up ({group.Setup}), {group.Members} members each");
        if (r.Counter("groups_ready") == 0)
        {
            report.Supported = false;
            report.Row("result", "no group could be created: the server does not serve CID_GROUP_CREATE_REQUEST; nothing was measured");
            return report;
        }

        if (sent > 0 && acked == 0)
        {
            report.Supported = false;
            report.Row("result", $"the server acked none of {ScenarioReport.N(sent)} group messages and delivered {ScenarioReport.N(delivered)}: group messaging is not served; nothing to measure");
            return report;
        }

        report.Row("sent / acked msgs/s", $"{ScenarioReport.N(r.Counter("sent_window") / seconds)} / {ScenarioReport.N(r.Counter("acked_window") / seconds)}");
        report.Row("deliveries/s", ScenarioReport.N(r.Counter("delivered_window") / seconds));
        report.Latency("ack latency", ack);
        report.Latency("fan-out latency", fanout);
        report.Row("loss (acked, not delivered)", ScenarioReport.N(r.Counter("lost")));
        if (report.Figures["server_cpu_us_per_delivery"] is double perDelivery)
        {
            report.Row("server CPU", $"{cpu.Cores:0.00} cores; {perDelivery:0} µs per delivery");
        }

        return report;
    }
}
