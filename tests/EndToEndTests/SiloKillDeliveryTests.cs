using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.EndToEndTests.Infrastructure;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.Other;
using Xunit.Abstractions;

namespace TeamTalk.Orleans.EndToEndTests;

/// <summary>
/// Two silos and two gateways (production profile) under 1:1 chat load from online clients; one silo is SIGKILLed
/// mid-load. Afterwards every acknowledged message is in history exactly once, ids per conversation strictly increase,
/// every online receiver got every acknowledged message exactly once in id order, and new logins are served (within
/// <see cref="LoginDeadline"/>, 5 s: failure detection declares the dead silo within about 2 s). The fault's numbers are written to the test output.
/// </summary>
[Trait("Category", "Fault")]
[Collection(TimedFaultCollection.Name)]
public sealed class SiloKillDeliveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Chatters = 16;
    private const int FreshUsers = 6;
    private const int AckedBeforeKill = 300;
    private const int AckedAfterKill = 800;
    private static readonly TimeSpan SendPeriod = TimeSpan.FromMilliseconds(70);
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LoginAttempt = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(2.8);

    // The issue's bound (about 1.2 s measured: the gateway retries a login call the dead silo carried after 1 s).
    private static readonly TimeSpan LoginDeadline = TimeSpan.FromSeconds(5);

    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.CreateAsync(production: true);

        // Senders wait for acks that the kill may hold up: the idle timeout is not what this test is about.
        cluster.GatewaySettings["TeamTalk:Gateway:IdleTimeoutPc"] = "00:00:30";
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        await cluster.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_under_chat_load_loses_no_acknowledged_message_nor_its_delivery()
    {
        var names = Enumerable.Range(0, Chatters).Select(i => $"chat{i}").Concat(Enumerable.Range(0, FreshUsers).Select(i => $"fresh{i}")).ToArray();
        var ids = await cluster.Database.SeedUsersAsync(names);
        var chatters = new List<Chatter>();
        for (var i = 0; i < Chatters; i++)
        {
            chatters.Add(new Chatter(ids[i], ids[(i + 1) % Chatters], await Clients.LoginAsync(cluster.Gateways[i % 2], names[i])));
        }

        var receiving = chatters.Select(c => c.ReceiveLoopAsync()).ToArray();
        using var stop = new CancellationTokenSource();
        var load = chatters.Select(c => c.SendLoopAsync(stop.Token)).ToArray();
        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(chatters.Sum(c => c.AckedCount) >= AckedBeforeKill), "chat load before the kill");

        var killedAt = cluster.KillSilo(0);
        var ackedAtKill = chatters.Sum(c => c.AckedCount);

        // New logins right after the kill, on both gateways, while the load goes on.
        var loggingIn = Task.WhenAll(Enumerable.Range(0, FreshUsers).Select(i => LoginWithinAsync(cluster.Gateways[i % 2], names[Chatters + i])));

        await Eventually.SucceedsAsync(TimeSpan.FromSeconds(40), () => Task.FromResult(chatters.Sum(c => c.AckedCount) >= ackedAtKill + AckedAfterKill), "chat load after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var logins = await loggingIn;

        // A last message per conversation, acknowledged: delivery is in order, so once it arrived nothing acked before it is on its way.
        foreach (var chatter in chatters)
        {
            Assert.True(await chatter.SendAsync("marker", TimeSpan.FromSeconds(15)), $"user {chatter.Id}'s marker was not acknowledged");
        }

        var byId = chatters.ToDictionary(c => c.Id);
        var settled = TimeSpan.Zero;
        try
        {
            settled = await Eventually.SucceedsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(chatters.All(c => byId[c.Peer].HasReceived(c.Id, $"{c.Id}:marker"))), "every marker delivered");
        }
        finally
        {
            foreach (var sender in chatters.Where(c => !byId[c.Peer].HasReceived(c.Id, $"{c.Id}:marker")))
            {
                var got = byId[sender.Peer].ReceivedFrom(sender.Id);
                output.WriteLine($"no marker from {sender.Id} at {sender.Peer}: got {got.Count} messages, the last {got.LastOrDefault()?.MsgId} at {got.LastOrDefault()?.At:HH:mm:ss.fff}; acked {sender.AckedCount}, the highest {sender.Acked.Max(a => a.MsgId)}");
            }
        }

        // Every online receiver got every acknowledged message exactly once, in id order.
        var undelivered = 0;
        foreach (var sender in chatters)
        {
            var got = byId[sender.Peer].ReceivedFrom(sender.Id);
            Assert.True(got.Zip(got.Skip(1)).All(p => p.First.MsgId < p.Second.MsgId), $"user {sender.Peer} got user {sender.Id}'s messages out of order or twice: {string.Join(',', got.Select(g => g.MsgId))}");
            var texts = got.ToDictionary(g => g.MsgId, g => g.Text);
            foreach (var acked in sender.Acked)
            {
                if (!texts.TryGetValue(acked.MsgId, out var text))
                {
                    undelivered++;
                    continue;
                }

                Assert.Equal(acked.Text, text);
            }
        }

        // Every acknowledged message is in history exactly once; ids per conversation strictly increase in send order.
        var history = await HistoryAsync(ids.Take(Chatters).ToArray());
        foreach (var sender in chatters)
        {
            var rows = history.Where(r => r.From == sender.Id && r.To == sender.Peer).ToList();
            Assert.Equal(rows.Count, rows.Select(r => r.MsgId).Distinct().Count());
            foreach (var acked in sender.Acked)
            {
                Assert.Equal(acked.Text, Assert.Single(rows, r => r.MsgId == acked.MsgId).Text);
            }

            var inSendOrder = sender.Acked.OrderBy(a => a.Sequence).Select(a => a.MsgId).ToList();
            Assert.True(inSendOrder.Zip(inSendOrder.Skip(1)).All(p => p.First < p.Second), $"user {sender.Id}'s acknowledged ids do not increase in send order");
        }

        var afterKill = chatters.SelectMany(c => c.Acked).Where(a => a.SentAt >= killedAt).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {chatters.Sum(c => c.AckedCount)} messages ({afterKill.Count} sent after the kill); sends never acked: {chatters.Sum(c => c.Unacked)}; acks later than {AckWait.TotalSeconds} s: {chatters.Sum(c => c.LateAcks)}"));
        var ackStall = chatters.SelectMany(c => c.Acked).Where(a => a.SentAt >= killedAt - TimeSpan.FromSeconds(2)).Max(a => a.AckLatency);
        var pushDelay = MaxPushDelay(chatters, byId);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acks stalled (max ack latency around the kill): {ackStall.TotalMilliseconds:F0} ms; before the kill: {chatters.SelectMany(c => c.Acked).Where(a => a.SentAt < killedAt - TimeSpan.FromSeconds(2)).DefaultIfEmpty().Max(a => a?.AckLatency ?? TimeSpan.Zero).TotalMilliseconds:F0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"longest push delay of an acked message (send to receipt): {pushDelay.TotalMilliseconds:F0} ms; all markers in {settled.TotalSeconds:F1} s after the load stopped"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"new logins after the kill: {string.Join(", ", logins.Select(l => $"{l.TotalMilliseconds:F0} ms"))}"));
        output.WriteLine($"acked but undelivered: {undelivered}");
        Assert.Equal(0, undelivered);
        Assert.All(logins, l => Assert.True(l <= LoginDeadline, $"a login after the kill took {l}"));

        // The target is 2 s (about 1 s measured on a quiet machine: death declared within ~1 s, calls the dead silo carried
        // cut 0.5–1 s later); the bound leaves room for a loaded test machine and still catches calls that wait out a
        // 3 or 5 s timeout.
        Assert.True(ackStall < StallBound, $"an ack waited {ackStall} around the kill");
        Assert.True(pushDelay < StallBound, $"an acked message reached its receiver {pushDelay} after it was sent");

        foreach (var chatter in chatters)
        {
            await chatter.Client.DisposeAsync();
        }

        await Task.WhenAll(receiving);
    }

    private static TimeSpan MaxPushDelay(List<Chatter> chatters, Dictionary<uint, Chatter> byId) =>
        chatters.SelectMany(s => s.Acked.Select(a => byId[s.Peer].ReceivedAt(s.Id, a.MsgId) is { } at ? at - a.SentAt : TimeSpan.Zero)).Max();

    /// <summary>Logs a new user in, retrying a failed attempt, until it succeeds; fails past <see cref="LoginDeadline"/>. Returns how long it took.</summary>
    private static async Task<TimeSpan> LoginWithinAsync(GatewayHandle gateway, string user)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.SucceedsAsync(LoginDeadline, async () =>
        {
            await using var client = await Clients.ConnectAsync(gateway);
            var (response, _) = await client.LoginAsync(user, TestDatabase.Password, ClientType.Android, LoginAttempt);
            return response?.ResultCode == ResultType.RefuseReasonNone;
        }, $"login of {user} after the kill");
        return clock.Elapsed;
    }

    private async Task<List<(uint From, uint To, uint MsgId, string Text)>> HistoryAsync(uint[] users)
    {
        var rows = new List<(uint, uint, uint, string)>();
        await using var connection = new MySqlConnection(cluster.Database.ConnectionString);
        await connection.OpenAsync();
        for (var shard = 0; shard < 8; shard++)
        {
            await using var query = new MySqlCommand($"SELECT fromId, toId, msgId, content FROM IMMessage_{shard} WHERE fromId BETWEEN @low AND @high", connection);
            query.Parameters.AddWithValue("@low", users.Min());
            query.Parameters.AddWithValue("@high", users.Max());
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToUInt32(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToUInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3)));
            }
        }

        return rows;
    }

    private sealed record AckedMessage(long Sequence, uint MsgId, string Text, DateTime SentAt, TimeSpan AckLatency);

    private sealed record ReceivedMessage(uint MsgId, string Text, DateTime At);

    /// <summary>One online user: sends to its peer one message at a time (waiting up to <see cref="AckWait"/> for each ack) and records what it receives.</summary>
    private sealed class Chatter(uint id, uint peer, TeamTalkClient client)
    {
        private readonly ConcurrentDictionary<ushort, (long Sequence, string Text, DateTime SentAt, TaskCompletionSource Acked)> pending = new();
        private readonly ConcurrentQueue<AckedMessage> acked = new();
        private readonly ConcurrentDictionary<uint, List<ReceivedMessage>> received = new();
        private long sequence;
        private int lateAcks;
        private long lastSentTicks = DateTime.UtcNow.Ticks;

        public uint Id { get; } = id;

        public uint Peer { get; } = peer;

        public TeamTalkClient Client { get; } = client;

        public int AckedCount => acked.Count;

        public IEnumerable<AckedMessage> Acked => acked;

        public int Unacked => pending.Count;

        public int LateAcks => lateAcks;

        public async Task SendLoopAsync(CancellationToken stop)
        {
            using var pace = new PeriodicTimer(SendPeriod);
            while (!stop.IsCancellationRequested && await pace.WaitForNextTickAsync(CancellationToken.None))
            {
                if (!await SendAsync(Interlocked.Read(ref sequence).ToString(CultureInfo.InvariantCulture), AckWait))
                {
                    Interlocked.Increment(ref lateAcks);
                }
            }
        }

        /// <summary>Sends "id:label" to the peer; true when it was acknowledged within <paramref name="wait"/> (a later ack still counts as acked).</summary>
        public async Task<bool> SendAsync(string label, TimeSpan wait)
        {
            var seq = Client.NextSeq();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var text = $"{Id}:{label}";
            pending[seq] = (Interlocked.Increment(ref sequence), text, DateTime.UtcNow, done);
            await Client.SendAsync(CommandKeys.MessageData, Chat.Text(Peer, text), seq);
            var finished = await Task.WhenAny(done.Task, Task.Delay(wait));
            return finished == done.Task;
        }

        /// <summary>Reads every frame until the connection closes: acks complete sends, messages are recorded; heartbeats keep the connection alive.</summary>
        public async Task ReceiveLoopAsync()
        {
            while (!Client.Closed.IsCompleted)
            {
                if (DateTime.UtcNow - new DateTime(Interlocked.Read(ref lastSentTicks), DateTimeKind.Utc) > TimeSpan.FromSeconds(2))
                {
                    Interlocked.Exchange(ref lastSentTicks, DateTime.UtcNow.Ticks);
                    await Client.SendAsync(CommandKeys.Heartbeat, new IMHeartBeat());
                }

                var frame = await Client.ReceiveAsync(TimeSpan.FromMilliseconds(500));
                if (frame is null)
                {
                    continue;
                }

                if (frame.Command == CommandKeys.MessageDataAck && pending.TryRemove(frame.Header.SeqNum, out var send))
                {
                    var ack = frame.Parse<IMMsgDataAck>();
                    acked.Enqueue(new AckedMessage(send.Sequence, ack.MsgId, send.Text, send.SentAt, DateTime.UtcNow - send.SentAt));
                    send.Acked.TrySetResult();
                }
                else if (frame.Command == CommandKeys.MessageData)
                {
                    var message = frame.Parse<IMMsgData>();
                    var list = received.GetOrAdd(message.FromUserId, _ => []);
                    lock (list)
                    {
                        list.Add(new ReceivedMessage(message.MsgId, message.MsgData.ToStringUtf8(), DateTime.UtcNow));
                    }
                }
            }
        }

        public List<ReceivedMessage> ReceivedFrom(uint sender)
        {
            var list = received.GetOrAdd(sender, _ => []);
            lock (list)
            {
                return [.. list];
            }
        }

        public bool HasReceived(uint sender, string text) => ReceivedFrom(sender).Exists(m => m.Text == text);

        public DateTime? ReceivedAt(uint sender, uint msgId) => ReceivedFrom(sender).Find(m => m.MsgId == msgId)?.At;
    }
}
