using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The mixed scenario's users in one process.</summary>
internal sealed class MixedWorker(CommonOptions common, MixedOptions mixed) : IScenarioWorker, IFrameSink
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ServerLocator locator = new(common);
    private readonly LoginStats logins = new();
    private readonly Dictionary<string, LatencyHistogram> latency = MixedScenario.Actions.ToDictionary(a => a, _ => new LatencyHistogram());
    private readonly Dictionary<string, long[]> failed = MixedScenario.Actions.ToDictionary(a => a, _ => new long[1]);
    private readonly RequestTrackers trackers = new();
    private readonly List<int> users = [];
    private readonly Dictionary<int, uint> ids = [];
    private LeanConnection?[] connections = [];
    private uint[] groupOf = [];
    private long deliveries;
    private long groupsReady;

    public async Task PrepareAsync(CancellationToken ct)
    {
        for (var u = common.WorkerIndex; u < mixed.Users; u += common.WorkerCount)
        {
            users.Add(u);
        }

        connections = await Sessions.OpenManyAsync(common, locator, users, this, logins, ct);
        for (var i = 0; i < users.Count; i++)
        {
            if (connections[i] is { } c)
            {
                ids[users[i]] = c.UserId;
            }
        }

        await CreateGroupsAsync(ct);
    }

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        await RunContext.SleepUntilAsync(goTicks, ct);
        var end = goTicks + Sessions.Ticks(mixed.Duration);
        await Task.WhenAll(Enumerable.Range(0, users.Count).Select(i => UserLoopAsync(i, end, ct)));
        foreach (var c in connections)
        {
            c?.Close();
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        foreach (var action in MixedScenario.Actions)
        {
            r.Histograms[action] = latency[action].ToData();
            r.Add(action + "_failed", Volatile.Read(ref failed[action][0]));
        }

        r.Add("deliveries", Volatile.Read(ref deliveries));
        r.Add("groups_ready", Volatile.Read(ref groupsReady));
        logins.AddTo(r);
        return r;
    }

    public WorkerProgress Progress() => new(
        connections.Count(c => c is { IsClosed: false }), latency["chat"].Count, latency["chat"].Count, Volatile.Read(ref deliveries),
        latency["chat"].Percentile(99) / 1000.0, failed.Values.Sum(f => Volatile.Read(ref f[0])) + logins.Failed);

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        if (trackers.TryComplete(connection, header, body))
        {
            return;
        }

        if (header.Command == CommandKeys.MessageData)
        {
            Interlocked.Increment(ref deliveries);
            var push = IMMsgData.Parser.ParseFrom(body);
            var group = push.MsgType is MsgType.GroupText or MsgType.GroupAudio;
            connection.SendMessage(CommandKeys.MessageDataAck, 0, new IMMsgDataAck
            {
                UserId = connection.UserId,
                SessionId = group ? push.ToSessionId : push.FromUserId,
                MsgId = push.MsgId,
                SessionType = group ? SessionType.Group : SessionType.Single,
            });
        }
    }

    public void OnClosed(LeanConnection connection, string reason) => trackers.Remove(connection);

    public ValueTask DisposeAsync()
    {
        foreach (var c in connections)
        {
            c?.Dispose();
        }

        locator.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task UserLoopAsync(int slot, long end, CancellationToken ct)
    {
        var random = new Random(slot * 7919 + common.WorkerIndex);
        var user = users[slot];
        var actions = 0;
        while (Stopwatch.GetTimestamp() < end && actions++ < 1_000_000)
        {
            var pause = TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * mixed.Think.TotalSeconds);
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end);
            if (pause >= left)
            {
                return;
            }

            await Task.Delay(pause, ct);
            var connection = connections[slot];
            var roll = random.Next(100);
            var action = roll switch { < 50 => "chat", < 60 => "group", < 70 => "history", < 80 => "unread", < 90 => "recent", _ => "relogin" };
            if (action == "group" && groupOf[slot] == 0)
            {
                action = "chat";
            }

            if (connection is null || connection.IsClosed)
            {
                action = "relogin";
            }

            var peers = ids.Keys.Where(k => k != user).ToList();
            var peer = peers.Count == 0 ? 0u : ids[peers[random.Next(peers.Count)]];
            var (ok, micros) = action switch
            {
                "chat" => await CallAsync(connection!, CommandKeys.MessageData, CommandKeys.MessageDataAck, new IMMsgData
                {
                    FromUserId = connection!.UserId,
                    ToSessionId = peer,
                    MsgId = 0,
                    CreateTime = 0,
                    MsgType = MsgType.SingleText,
                    MsgData = ByteString.CopyFrom("mixed load " + actions, Encoding.UTF8),
                }, ct),
                "group" => await CallAsync(connection!, CommandKeys.MessageData, CommandKeys.MessageDataAck, new IMMsgData
                {
                    FromUserId = connection!.UserId,
                    ToSessionId = groupOf[slot],
                    MsgId = 0,
                    CreateTime = 0,
                    MsgType = MsgType.GroupText,
                    MsgData = ByteString.CopyFrom("mixed group load " + actions, Encoding.UTF8),
                }, ct),
                "history" => await CallAsync(connection!, CommandKeys.ListRequest, CommandKeys.ListResponse, new IMGetMsgListReq
                {
                    UserId = connection!.UserId,
                    SessionType = SessionType.Single,
                    SessionId = peer,
                    MsgIdBegin = 0,
                    MsgCnt = 20,
                }, ct),
                "unread" => await CallAsync(connection!, CommandKeys.UnreadRequest, CommandKeys.UnreadResponse, new IMUnreadMsgCntReq { UserId = connection!.UserId }, ct),
                "recent" => await CallAsync(connection!, CommandKeys.RecentSessionRequest, CommandKeys.RecentSessionResponse, new IMRecentContactSessionReq { UserId = connection!.UserId, LatestUpdateTime = 0 }, ct),
                _ => await ReloginAsync(slot, ct),
            };
            if (ok)
            {
                latency[action].Record(micros);
            }
            else
            {
                Interlocked.Increment(ref failed[action][0]);
            }
        }
    }

    private async Task<(bool, long)> CallAsync(LeanConnection connection, CommandKey request, CommandKey reply, IMessage body, CancellationToken ct)
    {
        var (response, micros) = await trackers.For(connection).CallAsync(connection, request, reply, body, Timeout, ct);
        return (response is not null, micros);
    }

    /// <summary>Puts this process's logged-in users in groups of the configured size; the first member creates each over the protocol.</summary>
    private async Task CreateGroupsAsync(CancellationToken ct)
    {
        groupOf = new uint[users.Count];
        var slots = Enumerable.Range(0, users.Count).Where(i => connections[i] is not null).ToList();
        for (var first = 0; first + 1 < slots.Count; first += mixed.GroupSize)
        {
            var members = slots.Skip(first).Take(mixed.GroupSize).ToList();
            var creator = connections[members[0]]!;
            var request = new IMGroupCreateReq
            {
                UserId = creator.UserId,
                GroupType = GroupType.Tmp,
                GroupName = "mixed " + creator.UserId,
                GroupAvatar = string.Empty,
            };
            request.MemberIdList.AddRange(members.Select(m => connections[m]!.UserId));
            var (reply, _) = await trackers.For(creator).CallAsync(creator, CommandKeys.GroupCreateRequest, CommandKeys.GroupCreateResponse, request, Timeout, ct);
            if (reply is not null && IMGroupCreateRsp.Parser.ParseFrom(reply) is { ResultCode: 0, HasGroupId: true } created)
            {
                Interlocked.Increment(ref groupsReady);
                foreach (var m in members)
                {
                    groupOf[m] = created.GroupId;
                }
            }
        }
    }

    private async Task<(bool, long)> ReloginAsync(int slot, CancellationToken ct)
    {
        if (connections[slot] is { } old)
        {
            old.SendFrame(CommandKeys.LogoutRequest, 0, []);
            old.Close();
            trackers.Remove(old);
        }

        var started = Stopwatch.GetTimestamp();
        var fresh = await Sessions.OpenAsync(common, locator, users[slot], this, logins, ct);
        connections[slot] = fresh;
        return (fresh is not null, Sessions.Micros(Stopwatch.GetTimestamp() - started));
    }
}
