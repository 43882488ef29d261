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
internal sealed class GroupWorker : StreamWorker, IScenarioWorker, IFrameSink
{
    private readonly GroupOptions group;
    private readonly Dictionary<int, ChatStream> outgoing = [];
    private readonly Dictionary<(int Receiver, uint Sender), MessageLedger> incoming = [];
    private readonly Dictionary<uint, ChatStream> bySender = [];
    private readonly Dictionary<int, TaskCompletionSource<uint>> creations = [];
    private int groupsReady;

    public GroupWorker(CommonOptions common, GroupOptions group)
        : base(common, "group-scheduler", closedNoteLimit: 0, perSecond: false)
    {
        this.group = group;
    }

    public override int Inflight => 1;

    public override int MessageBytes => group.MessageBytes;

    protected override (TimeSpan Warmup, TimeSpan Duration, TimeSpan Drain) Phases => (group.Warmup, group.Duration, group.Drain);

    protected override int Seed => 4321;

    public async Task PrepareAsync(CancellationToken ct)
    {
        var myGroups = Enumerable.Range(0, group.Groups).Where(g => g % Common.WorkerCount == Common.WorkerIndex).ToList();
        var users = myGroups.SelectMany(g => Enumerable.Range(g * group.Members, group.Members)).ToList();
        var opened = await Sessions.OpenManyAsync(Common, Locator, users, this, Logins, ct);
        Connections.AddRange(opened.Where(c => c is not null).Select(c => c!));
        Dictionary<string, uint>? dbGroups = null;
        if (group.Setup == "db")
        {
            await using var db = new MySqlConnection(Common.Db ?? throw new UsageException("--group-setup db needs --db"));
            await db.OpenAsync(ct);
            dbGroups = [];
            foreach (var g in myGroups)
            {
                if (await GroupStore.FindAsync(db, GroupScenario.GroupName(Common, g), ct) is { } id)
                {
                    dbGroups[GroupScenario.GroupName(Common, g)] = id;
                }
            }
        }

        for (var n = 0; n < myGroups.Count; n++)
        {
            var g = myGroups[n];
            var members = opened.Skip(n * group.Members).Take(group.Members).ToList();
            if (members.Any(m => m is null))
            {
                Notes.Add($"group {g}: not every member could log in; left out");
                continue;
            }

            uint groupId;
            if (dbGroups is not null)
            {
                if (!dbGroups.TryGetValue(GroupScenario.GroupName(Common, g), out groupId))
                {
                    Notes.Add($"group {g}: no IMGroup row named {GroupScenario.GroupName(Common, g)}");
                    continue;
                }
            }
            else if (await CreateAsync(members[0]!, GroupScenario.GroupName(Common, g), members.Select(m => m!.UserId).ToList(), ct) is { } created)
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

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        r.Add("groups_ready", groupsReady);
        AddTraffic(r);
        AddFailures(r);
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
        AddLatencies(r);
        AddLoginsAndNotes(r);
        return r;
    }

    public WorkerProgress Progress()
    {
        return new WorkerProgress(Connections.Count(c => !c.IsClosed), SentTotal, AckedTotal, DeliveredTotal, IntervalP99Millis(Delivery),
            SendFailures + Logins.Failed);
    }

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

        OnOtherFrame(header);
    }

    protected override void ScheduleStreams(long goTicks, Random random)
    {
        foreach (var stream in outgoing.Values)
        {
            ScheduleAtRate(stream, goTicks, group.Rate, random);
        }
    }

    protected override bool Drained() => outgoing.Values.All(s => s.Ledger.AckedCount == s.Ledger.Sent)
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
            Notes.Add($"group {name}: no answer to CID_GROUP_CREATE_REQUEST within 10 s");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            Notes.Add($"group {name}: {ex.Message}");
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
        ReadMessage(body, out var from, out var msgId, out var text);
        if (!incoming.TryGetValue((connection.Index, from), out var ledger) || !MessagePayload.TryParse(text, out var k, out var intended))
        {
            CountUnexpected();
            return;
        }

        if (ledger.Deliver(k, msgId))
        {
            RecordDelivery(intended, now);
        }
    }
}
