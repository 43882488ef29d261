using System.Diagnostics;
using MySqlConnector;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The history readers.</summary>
internal sealed class HistoryWorker(CommonOptions common, HistoryOptions history) : IScenarioWorker, IFrameSink
{
    private readonly ServerLocator locator = new(common);
    private readonly LoginStats logins = new();
    private readonly LatencyHistogram page = new();
    private readonly RequestTrackers trackers = new();
    private readonly List<(LeanConnection Connection, uint Peer)> readers = [];
    private long messages, failed;

    public async Task PrepareAsync(CancellationToken ct)
    {
        var plan = new (int User, ClientType Type)[] { (0, ClientType.Android), (1, ClientType.Android), (0, ClientType.Windows), (1, ClientType.Windows) };
        var opened = new List<(int User, LeanConnection Connection)>();
        foreach (var (user, type) in plan.Take(history.Readers))
        {
            var c = await Sessions.OpenAsync(common, locator, user, this, logins, ct, type)
                    ?? throw new InvalidOperationException($"{common.UserName(user)} could not log in: {logins.FirstError}");
            trackers.For(c);
            opened.Add((user, c));
        }

        var idOf = opened.GroupBy(o => o.User).ToDictionary(g => g.Key, g => g.First().Connection.UserId);
        foreach (var (user, c) in opened)
        {
            var peerIndex = 1 - user;
            readers.Add((c, idOf.TryGetValue(peerIndex, out var id) ? id : await PeerIdAsync(peerIndex, ct)));
        }
    }

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        await RunContext.SleepUntilAsync(goTicks, ct);
        var end = goTicks + Sessions.Ticks(history.Duration);
        await Task.WhenAll(readers.SelectMany((r, i) => Enumerable.Range(0, history.Depth).Select(d => ReadLoopAsync(r.Connection, r.Peer, (i * 1000) + d, end, ct))));
        foreach (var (c, _) in readers)
        {
            c.Close();
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        r.Histograms["page"] = page.ToData();
        r.Add("messages", Volatile.Read(ref messages));
        r.Add("failed", Volatile.Read(ref failed));
        logins.AddTo(r);
        return r;
    }

    public WorkerProgress Progress() => new(readers.Count(r => !r.Connection.IsClosed), page.Count, page.Count, Volatile.Read(ref messages), page.Percentile(99) / 1000.0, Volatile.Read(ref failed));

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        trackers.TryComplete(connection, header, body);
    }

    public void OnClosed(LeanConnection connection, string reason)
    {
    }

    public ValueTask DisposeAsync()
    {
        foreach (var (c, _) in readers)
        {
            c.Dispose();
        }

        locator.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<uint> PeerIdAsync(int index, CancellationToken ct)
    {
        await using var connection = new MySqlConnection(common.Db);
        await connection.OpenAsync(ct);
        var ids = await GroupStore.UserIdsAsync(connection, [common.UserName(index)], ct);
        return ids.Values.Single();
    }

    private async Task ReadLoopAsync(LeanConnection connection, uint peer, int seed, long end, CancellationToken ct)
    {
        var tracker = trackers.For(connection);
        var random = new Random(seed);
        for (var n = 0; n < 10_000_000 && Stopwatch.GetTimestamp() < end && !connection.IsClosed; n++)
        {
            var begin = (uint)random.Next(history.Page, history.Messages + 1);
            var (body, micros) = await tracker.CallAsync(connection, CommandKeys.ListRequest, CommandKeys.ListResponse, new IMGetMsgListReq
            {
                UserId = connection.UserId,
                SessionType = SessionType.Single,
                SessionId = peer,
                MsgIdBegin = begin,
                MsgCnt = (uint)history.Page,
            }, TimeSpan.FromSeconds(10), ct);
            var count = body is null ? 0 : IMGetMsgListRsp.Parser.ParseFrom(body).MsgList.Count;
            if (count == 0)
            {
                Interlocked.Increment(ref failed);
                continue;
            }

            page.Record(micros);
            Interlocked.Add(ref messages, count);
        }
    }
}
