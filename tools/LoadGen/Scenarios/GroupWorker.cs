using System.Diagnostics;
using MySqlConnector;
using TeamTalk.Orleans.CommandLine;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Group;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

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
