using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Storage;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>group</c> scenario.</summary>
internal sealed record GroupOptions
{
    public int Groups { get; init; } = 10;

    public int Members { get; init; } = 10;

    /// <summary>Messages per second each member sends to its group.</summary>
    public double Rate { get; init; } = 1;

    public int MessageBytes { get; init; } = 40;

    /// <summary>How groups come to exist: <c>protocol</c> (CID_GROUP_CREATE_REQUEST, temporary groups, as clients do) or <c>db</c> (IMGroup/IMGroupMember rows).</summary>
    public string Setup { get; init; } = "protocol";

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public static GroupOptions Parse(ParsedArgs args)
    {
        var options = new GroupOptions
        {
            Groups = args.Int("groups", 10, 1, 10_000),
            Members = args.Int("members", 10, 2, 1000),
            Rate = args.Double("rate", 1, 0.01, 1000),
            MessageBytes = args.Int("message-bytes", 40, 1, 4000),
            Setup = args.String("group-setup", "protocol"),
            Warmup = args.Duration("warmup", TimeSpan.FromSeconds(3), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            Duration = args.Duration("duration", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
            Drain = args.Duration("drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        };
        return options.Setup is "protocol" or "db"
            ? options
            : throw new UsageException($"--group-setup must be protocol or db, not '{options.Setup}'");
    }
}

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

/// <summary>Lookups for <c>--group-setup db</c> (the groups themselves are made by the shared <see cref="UserSeeder"/>).</summary>
internal static class GroupStore
{
    public static async Task<Dictionary<string, uint>> UserIdsAsync(MySqlConnection connection, IReadOnlyList<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(1000))
        {
            await using var command = new MySqlCommand { Connection = connection };
            var sql = new StringBuilder("SELECT id, name FROM IMUser WHERE name IN (");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}@n{i}");
                command.Parameters.AddWithValue($"@n{i}", chunk[i]);
            }

            command.CommandText = sql.Append(") ORDER BY id").ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(1)] = Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    public static async Task<uint?> FindAsync(MySqlConnection connection, string name, CancellationToken ct)
    {
        await using var find = new MySqlCommand("SELECT id FROM IMGroup WHERE name = @name ORDER BY id DESC LIMIT 1", connection);
        find.Parameters.AddWithValue("@name", name);
        return await find.ExecuteScalarAsync(ct) is { } id and not DBNull ? Convert.ToUInt32(id, CultureInfo.InvariantCulture) : null;
    }
}

/// <summary>The group scenario's connections in one process: whole groups (all members of a group live here).</summary>
internal sealed class GroupWorker : IScenarioWorker, IFrameSink, IStreamOwner
{
    private readonly CommonOptions common;
    private readonly GroupOptions group;
    private readonly ServerLocator locator;
    private readonly LoginStats logins = new();
    private readonly Scheduler scheduler = new("group-scheduler");
    private readonly Dictionary<int, ChatStream> outgoing = [];
    private readonly Dictionary<(int Receiver, uint Sender), MessageLedger> incoming = [];
    private readonly Dictionary<uint, ChatStream> bySender = [];
    private readonly List<LeanConnection> connections = [];
    private readonly LatencyHistogram ack = new();
    private readonly LatencyHistogram delivery = new();
    private readonly List<string> notes = [];
    private readonly Dictionary<int, TaskCompletionSource<uint>> creations = [];
    private LatencyHistogram progressBase = new();
    private long windowStart = long.MaxValue;
    private long sentTotal, sentWindow, ackedTotal, ackedWindow, deliveredTotal, deliveredWindow, sendFailures, closedDuringRun, unexpected;
    private int groupsReady;
    private int running;

    public GroupWorker(CommonOptions common, GroupOptions group)
    {
        this.common = common;
        this.group = group;
        locator = new ServerLocator(common);
    }

    public int Inflight => 1;

    public int MessageBytes => group.MessageBytes;

    public long WindowEnd { get; private set; } = long.MaxValue;

    public async Task PrepareAsync(CancellationToken ct)
    {
        var myGroups = Enumerable.Range(0, group.Groups).Where(g => g % common.WorkerCount == common.WorkerIndex).ToList();
        var users = myGroups.SelectMany(g => Enumerable.Range(g * group.Members, group.Members)).ToList();
        var opened = await Sessions.OpenManyAsync(common, locator, users, this, logins, ct);
        connections.AddRange(opened.Where(c => c is not null).Select(c => c!));
        Dictionary<string, uint>? dbGroups = null;
        if (group.Setup == "db")
        {
            await using var db = new MySqlConnection(common.Db ?? throw new UsageException("--group-setup db needs --db"));
            await db.OpenAsync(ct);
            dbGroups = [];
            foreach (var g in myGroups)
            {
                if (await GroupStore.FindAsync(db, GroupScenario.GroupName(common, g), ct) is { } id)
                {
                    dbGroups[GroupScenario.GroupName(common, g)] = id;
                }
            }
        }

        for (var n = 0; n < myGroups.Count; n++)
        {
            var g = myGroups[n];
            var members = opened.Skip(n * group.Members).Take(group.Members).ToList();
            if (members.Any(m => m is null))
            {
                notes.Add($"group {g}: not every member could log in; left out");
                continue;
            }

            uint groupId;
            if (dbGroups is not null)
            {
                if (!dbGroups.TryGetValue(GroupScenario.GroupName(common, g), out groupId))
                {
                    notes.Add($"group {g}: no IMGroup row named {GroupScenario.GroupName(common, g)}");
                    continue;
                }
            }
            else if (await CreateAsync(members[0]!, GroupScenario.GroupName(common, g), members.Select(m => m!.UserId).ToList(), ct) is { } created)
            {
                groupId = created;
            }
            else
            {
                continue;
            }

            groupsReady++;
            foreach (var sender in members)
            {
                var stream = new ChatStream(this, sender!, groupId, (uint)MsgType.GroupText);
                outgoing[sender!.Index] = stream;
                bySender[sender.UserId] = stream;
                foreach (var receiver in members.Where(m => m != sender))
                {
                    incoming[(receiver!.Index, sender.UserId)] = new MessageLedger();
                }
            }
        }
    }

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        windowStart = goTicks + Sessions.Ticks(group.Warmup);
        WindowEnd = windowStart + Sessions.Ticks(group.Duration);
        var drainEnd = WindowEnd + Sessions.Ticks(group.Drain);
        var random = new Random(4321 + common.WorkerIndex);
        foreach (var stream in outgoing.Values)
        {
            var plan = new SendSchedule(goTicks, group.Rate, random.NextDouble(), WindowEnd, Stopwatch.Frequency);
            stream.UseSchedule(plan);
            scheduler.Add(stream, plan.NextDue);
        }

        var period = Sessions.Ticks(common.Heartbeat);
        foreach (var c in connections)
        {
            scheduler.Add(new HeartbeatTask(c, period, _ => { }), goTicks + (long)(random.NextDouble() * period));
        }

        Volatile.Write(ref running, 1);
        scheduler.Start(drainEnd + Sessions.Ticks(TimeSpan.FromSeconds(5)));
        await RunContext.SleepUntilAsync(WindowEnd, ct);
        while (Stopwatch.GetTimestamp() < drainEnd && !Drained())
        {
            await Task.Delay(100, ct);
        }

        signals.Phase("drained");
        await signals.StopRequested.WaitAsync(TimeSpan.FromSeconds(120), ct);
        Volatile.Write(ref running, 0);
        scheduler.Stop();
        foreach (var c in connections)
        {
            c.Close();
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        r.Add("groups_ready", groupsReady);
        r.Add("sent_total", Volatile.Read(ref sentTotal));
        r.Add("sent_window", Volatile.Read(ref sentWindow));
        r.Add("acked_total", Volatile.Read(ref ackedTotal));
        r.Add("acked_window", Volatile.Read(ref ackedWindow));
        r.Add("delivered_total", Volatile.Read(ref deliveredTotal));
        r.Add("delivered_window", Volatile.Read(ref deliveredWindow));
        r.Add("send_failures", Volatile.Read(ref sendFailures));
        r.Add("closed_during_run", Volatile.Read(ref closedDuringRun));
        r.Add("unexpected_frames", Volatile.Read(ref unexpected));
        long lost = 0;
        foreach (var ((_, sender), ledger) in incoming)
        {
            var senderLedger = bySender[sender].Ledger;
            for (long k = 0; k < senderLedger.Sent; k++)
            {
                if (senderLedger.IsAcked(k) && !ledger.IsDelivered(k))
                {
                    lost++;
                }
            }
        }

        r.Add("lost", lost);
        r.Histograms["ack"] = ack.ToData();
        r.Histograms["delivery"] = delivery.ToData();
        logins.AddTo(r);
        r.Notes.AddRange(notes);
        return r;
    }

    public WorkerProgress Progress()
    {
        var current = delivery.Copy();
        var interval = current.Since(progressBase);
        progressBase = current;
        return new WorkerProgress(connections.Count(c => !c.IsClosed), Volatile.Read(ref sentTotal), Volatile.Read(ref ackedTotal),
            Volatile.Read(ref deliveredTotal), interval.Percentile(99) / 1000.0, Volatile.Read(ref sendFailures) + logins.Failed);
    }

    public void RecordSent(long intended)
    {
        Interlocked.Increment(ref sentTotal);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref sentWindow);
        }
    }

    public void RecordAck(long intended, long now)
    {
        Interlocked.Increment(ref ackedTotal);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref ackedWindow);
            ack.Record(Sessions.Micros(now - intended));
        }
    }

    public void RecordSendFailure() => Interlocked.Increment(ref sendFailures);

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        var now = Stopwatch.GetTimestamp();
        if (header.Command == CommandKeys.MessageDataAck)
        {
            if (outgoing.TryGetValue(connection.Index, out var stream))
            {
                stream.OnAck(header.SeqNum, now);
            }

            return;
        }

        if (header.Command == CommandKeys.GroupCreateResponse)
        {
            OnCreated(connection, body);
            return;
        }

        if (header.Command == CommandKeys.MessageData)
        {
            OnMessage(connection, body, now);
            return;
        }

        if (header.Command != CommandKeys.Heartbeat)
        {
            Interlocked.Increment(ref unexpected);
        }
    }

    public void OnClosed(LeanConnection connection, string reason)
    {
        if (Volatile.Read(ref running) == 1)
        {
            Interlocked.Increment(ref closedDuringRun);
        }
    }

    public ValueTask DisposeAsync()
    {
        scheduler.Dispose();
        foreach (var c in connections)
        {
            c.Dispose();
        }

        locator.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Drained() => outgoing.Values.All(s => s.Ledger.AckedCount == s.Ledger.Sent)
                              && incoming.All(kv => kv.Value.DeliveredCount >= bySender[kv.Key.Sender].Ledger.AckedCount);

    private async Task<uint?> CreateAsync(LeanConnection creator, string name, List<uint> members, CancellationToken ct)
    {
        var tcs = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (creations)
        {
            creations[creator.Index] = tcs;
        }

        var request = new IMGroupCreateReq { UserId = creator.UserId, GroupType = GroupType.Tmp, GroupName = name, GroupAvatar = string.Empty };
        request.MemberIdList.AddRange(members);
        creator.SendMessage(CommandKeys.GroupCreateRequest, 2, request);
        try
        {
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        catch (TimeoutException)
        {
            notes.Add($"group {name}: no answer to CID_GROUP_CREATE_REQUEST within 10 s");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            notes.Add($"group {name}: {ex.Message}");
            return null;
        }
    }

    private void OnCreated(LeanConnection connection, ReadOnlySpan<byte> body)
    {
        TaskCompletionSource<uint>? tcs;
        lock (creations)
        {
            creations.Remove(connection.Index, out tcs);
        }

        if (tcs is null)
        {
            return;
        }

        var response = IMGroupCreateRsp.Parser.ParseFrom(body);
        if (response.ResultCode == 0 && response.HasGroupId)
        {
            tcs.TrySetResult(response.GroupId);
        }
        else
        {
            tcs.TrySetException(new InvalidOperationException($"CID_GROUP_CREATE_RESPONSE result {response.ResultCode}"));
        }
    }

    private void OnMessage(LeanConnection connection, ReadOnlySpan<byte> body, long now)
    {
        uint from = 0, msgId = 0;
        ReadOnlySpan<byte> text = default;
        var reader = new ProtoReader(body);
        while (reader.Next(out var field, out _, out var value, out var bytes))
        {
            switch (field)
            {
                case 1: from = (uint)value; break;
                case 3: msgId = (uint)value; break;
                case 6: text = bytes; break;
            }
        }

        if (!incoming.TryGetValue((connection.Index, from), out var ledger) || !MessagePayload.TryParse(text, out var k, out var intended))
        {
            Interlocked.Increment(ref unexpected);
            return;
        }

        if (!ledger.Deliver(k, msgId))
        {
            return;
        }

        Interlocked.Increment(ref deliveredTotal);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref deliveredWindow);
            delivery.Record(Sessions.Micros(now - intended));
        }
    }
}
