using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using TeamTalk.Orleans.Client;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Message;

namespace TeamTalk.Orleans.EndToEndTests.Infrastructure;

/// <summary>What a fault did to the chat load (the numbers a fault test reports and asserts on).</summary>
internal sealed record ChatLoadReport(
    int Sent,
    int Acked,
    int Unacked,
    TimeSpan MaxAckLatency,
    int RequiredDeliveries,
    int Undelivered,
    int Duplicates,
    int OutOfOrder,
    int Reconnects,
    TimeSpan ReconnectP99,
    TimeSpan ReconnectMax,
    int FailedReconnectAttempts,
    IReadOnlyList<string> Missing)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"sent {Sent}, acked {Acked}, sends without ack {Unacked}, max ack latency {MaxAckLatency.TotalMilliseconds:F0} ms, " +
        $"deliveries required {RequiredDeliveries}, acked-but-undelivered {Undelivered}, duplicates {Duplicates}, out of order {OutOfOrder}, " +
        $"reconnects {Reconnects} (p99 {ReconnectP99.TotalMilliseconds:F0} ms, max {ReconnectMax.TotalMilliseconds:F0} ms, {FailedReconnectAttempts} failed attempts)") +
        string.Concat(Missing.Select(m => Environment.NewLine + "  undelivered: " + m));
}

/// <summary>
/// A moderate 1:1 chat load for fault tests: pairs of users, each sending its partner a text every
/// <c>interval</c> over its own TeamTalk connection and recording acks and what arrives. A client whose connection
/// closes reconnects through discovery (asking the gateways given, in turn) and logs in again, as TeamTalk clients do.
/// At the end, <see cref="StopAndVerifyAsync"/> checks history (every acked message stored exactly once) and delivery
/// (every acked message reached its receiver when the receiver was online from its send until well after its ack,
/// exactly once and in id order).
/// </summary>
internal sealed class ChatLoad : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<LoadClient> clients = [];
    private readonly TestCluster cluster;
    private readonly TimeSpan interval;
    private readonly CancellationTokenSource stopping = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly DateTime startedUtc = DateTime.UtcNow;

    private ChatLoad(TestCluster cluster, TimeSpan interval)
    {
        this.cluster = cluster;
        this.interval = interval;
    }

    /// <summary>The gateways whose discovery a reconnecting client asks, in turn (a dead one simply does not answer).</summary>
    public List<GatewayHandle> DiscoveryGateways { get; } = [];

    public IReadOnlyList<LoadClientView> Clients => [.. clients.Select(c => c.View)];

    /// <summary>Time since the load was created (the clock of every recorded event).</summary>
    public TimeSpan Now => clock.Elapsed;

    /// <summary>
    /// Seeds <paramref name="users"/> users (an even number; user 2i chats with user 2i+1), logs user K in on
    /// <paramref name="gatewayOf"/>(K) (default: gateway K % gateways), and starts sending.
    /// </summary>
    public static async Task<ChatLoad> StartAsync(TestCluster cluster, string prefix, int users, TimeSpan interval, Func<int, GatewayHandle>? gatewayOf = null)
    {
        gatewayOf ??= k => cluster.Gateways[k % cluster.Gateways.Count];
        var load = new ChatLoad(cluster, interval);
        load.DiscoveryGateways.AddRange(cluster.Gateways);
        var names = Enumerable.Range(0, users).Select(i => $"{prefix}{i}").ToArray();
        var ids = await cluster.Database.SeedUsersAsync(names);
        for (var i = 0; i < users; i++)
        {
            var partner = i % 2 == 0 ? i + 1 : i - 1;
            load.clients.Add(new LoadClient(load, names[i], ids[i], ids[partner]));
        }

        // One after another: on a cold cluster a burst of first logins can exceed the gateways' 3 s login deadline.
        for (var i = 0; i < load.clients.Count; i++)
        {
            await load.clients[i].LoginAsync(gatewayOf(i));
        }

        foreach (var client in load.clients)
        {
            client.Start();
        }

        return load;
    }

    /// <summary>Stops sending, waits for the outstanding acks and deliveries, and checks history and delivery.</summary>
    public async Task<ChatLoadReport> StopAndVerifyAsync(TimeSpan settle)
    {
        await stopping.CancelAsync();
        await Task.WhenAll(clients.Select(c => c.SendLoop));

        // Acks of sends still in flight: each arrives or its connection closed.
        await WaitUntilAsync(settle, () => clients.All(c => c.Connection is { } connection && connection.Pending.IsEmpty));
        var byReceiver = clients.ToDictionary(c => c.UserId);
        var acked = clients.SelectMany(c => c.Acked).ToList();
        var required = acked.Where(RequiresDelivery).ToList();

        // Every required delivery arrives (pushes may lag behind acks); what has not within settle counts as undelivered.
        await WaitUntilAsync(settle, () => required.All(m => byReceiver[m.To].HasReceived(m.MsgId, m.From)));

        var missing = required.Where(m => !byReceiver[m.To].HasReceived(m.MsgId, m.From)).ToList();
        var (duplicates, outOfOrder) = (0, 0);
        foreach (var client in clients)
        {
            foreach (var connection in client.Connections)
            {
                var ids = connection.Received.Select(r => r.MsgId).ToList();
                duplicates += ids.Count - ids.Distinct().Count();
                outOfOrder += ids.Zip(ids.Skip(1)).Count(p => p.Second <= p.First);
            }
        }

        await AuditHistoryAsync(acked);
        var reconnects = clients.SelectMany(c => c.Reconnects).Order().ToList();
        return new ChatLoadReport(
            clients.Sum(c => c.SentCount),
            acked.Count,
            clients.Sum(c => c.Connections.Sum(connection => connection.Pending.Count)),
            acked.Count == 0 ? TimeSpan.Zero : acked.Max(m => m.AckedAt - m.SentAt),
            required.Count,
            missing.Count,
            duplicates,
            outOfOrder,
            reconnects.Count,
            Percentile(reconnects, 0.99),
            reconnects.Count == 0 ? TimeSpan.Zero : reconnects[^1],
            clients.Sum(c => c.FailedAttempts),
            [.. missing.Take(5).Select(m => Describe(m, byReceiver[m.To]))]);

        bool RequiresDelivery(AckedMessage m) =>
            byReceiver[m.To].Connections.Any(c => c.LoggedInAt <= m.SentAt && (c.ClosedAt is not { } closed || closed >= m.AckedAt + TimeSpan.FromSeconds(3)));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        stopping.Dispose();
    }

    /// <summary>True when <paramref name="done"/> held within <paramref name="within"/> (polled every 250 ms).</summary>
    public static async Task<bool> WaitUntilAsync(TimeSpan within, Func<bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    /// <summary>Messages acknowledged so far.</summary>
    public int AckedCount => clients.Sum(c => c.Acked.Count);

    /// <summary>Every message acknowledged so far.</summary>
    public IReadOnlyList<AckedMessage> Acked => [.. clients.SelectMany(c => c.Acked)];

    /// <summary>An undelivered message and its receiver's connections, with times in UTC to find it in the server logs.</summary>
    private string Describe(AckedMessage message, LoadClient receiver)
    {
        string At(TimeSpan t) => (startedUtc + t).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var connections = receiver.Connections.Select(c =>
        {
            var got = c.Received.Where(r => r.From == message.From).Select(r => r.MsgId).ToList();
            var before = got.Where(id => id < message.MsgId).DefaultIfEmpty().Max();
            var after = got.Where(id => id > message.MsgId).DefaultIfEmpty().Min();
            return $"[port {c.Port} {At(c.LoggedInAt)}–{(c.ClosedAt is { } closed ? At(closed) : "open")}, " +
                   $"got {got.Count} from the sender, nearest ids {before} and {after}]";
        });
        return $"{message.From}→{message.To} msg {message.MsgId} sent {At(message.SentAt)} acked {At(message.AckedAt)}; " +
               $"receiver connections {string.Join(' ', connections)}";
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Every acked message is in history exactly once, under its id, with its text; no id is stored twice.</summary>
    private async Task AuditHistoryAsync(List<AckedMessage> acked)
    {
        await using var connection = new MySqlConnection(cluster.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var pair in acked.GroupBy(m => (Math.Min(m.From, m.To), Math.Max(m.From, m.To))))
        {
            await using var relation = new MySqlCommand("SELECT id FROM IMRelationShip WHERE smallId = @s AND bigId = @b", connection);
            relation.Parameters.AddWithValue("@s", pair.Key.Item1);
            relation.Parameters.AddWithValue("@b", pair.Key.Item2);
            var relateId = Convert.ToUInt32(await relation.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            await using var rows = new MySqlCommand($"SELECT msgId, content FROM IMMessage_{relateId % 8} WHERE relateId = @r", connection);
            rows.Parameters.AddWithValue("@r", relateId);
            var stored = new List<(uint MsgId, string Content)>();
            await using (var reader = await rows.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add((Convert.ToUInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1)));
                }
            }

            Assert.Equal(stored.Count, stored.Select(s => s.MsgId).Distinct().Count()); // one id, one message
            var byId = stored.ToDictionary(s => s.MsgId, s => s.Content);
            foreach (var message in pair)
            {
                Assert.True(byId.TryGetValue(message.MsgId, out var content), $"acked message {message.MsgId} ({message.Text}) is in history");
                Assert.Equal(message.Text, content);
            }
        }
    }

    /// <summary>A message the server acknowledged.</summary>
    internal sealed record AckedMessage(uint From, uint To, uint MsgId, string Text, TimeSpan SentAt, TimeSpan AckedAt);

    /// <summary>One login of a load client: when it logged in, when it closed, what it received.</summary>
    internal sealed class ConnectionRecord(TeamTalkClient client, TimeSpan loggedInAt, int port)
    {
        public TeamTalkClient Client { get; } = client;

        public TimeSpan LoggedInAt { get; } = loggedInAt;

        public int Port { get; } = port;

        public TimeSpan? ClosedAt { get; set; }

        public ConcurrentQueue<(uint From, uint MsgId)> Received { get; } = new();

        /// <summary>Sends on this connection not acknowledged (yet), by seq.</summary>
        public ConcurrentDictionary<ushort, (string Text, TimeSpan SentAt)> Pending { get; } = new();
    }

    /// <summary>What a test may look at of a load client.</summary>
    internal sealed record LoadClientView(string Name, uint UserId, int? Port, int Logins);

    private sealed class LoadClient(ChatLoad load, string name, uint userId, uint partnerId) : IAsyncDisposable
    {
        private readonly Lock gate = new();
        private int sent;

        public uint UserId => userId;

        public ConnectionRecord? Connection { get; private set; }

        public List<ConnectionRecord> Connections { get; } = [];

        public ConcurrentQueue<AckedMessage> Acked { get; } = new();

        public ConcurrentQueue<TimeSpan> Reconnects { get; } = new();

        public int FailedAttempts { get; private set; }

        public int SentCount => sent;

        public Task SendLoop { get; private set; } = Task.CompletedTask;

        public LoadClientView View => new(name, userId, Connection?.Port, Connections.Count);

        public bool HasReceived(uint msgId, uint from)
        {
            lock (gate)
            {
                return Connections.Any(c => c.Received.Contains((from, msgId)));
            }
        }

        public async Task LoginAsync(GatewayHandle gateway)
        {
            var client = await Infrastructure.Clients.LoginAsync(gateway, name);
            Attach(client, gateway.TcpPort);
        }

        public void Start() => SendLoop = Task.Run(SendLoopAsync);

        public async ValueTask DisposeAsync()
        {
            List<ConnectionRecord> all;
            lock (gate)
            {
                all = [.. Connections];
            }

            foreach (var connection in all)
            {
                await connection.Client.DisposeAsync();
            }
        }

        private void Attach(TeamTalkClient client, int port)
        {
            var record = new ConnectionRecord(client, load.Now, port);
            lock (gate)
            {
                Connections.Add(record);
                Connection = record;
            }

            _ = Task.Run(() => ReceiveLoopAsync(record));
        }

        private async Task SendLoopAsync()
        {
            using var timer = new PeriodicTimer(load.interval);
            try
            {
                while (await timer.WaitForNextTickAsync(load.stopping.Token))
                {
                    var connection = Connection;
                    if (connection is null)
                    {
                        continue;
                    }

                    var n = Interlocked.Increment(ref sent);
                    var text = string.Create(CultureInfo.InvariantCulture, $"load {name} #{n}");
                    var seq = connection.Client.NextSeq();
                    connection.Pending[seq] = (text, load.Now);
                    try
                    {
                        await connection.Client.SendAsync(CommandKeys.MessageData, Chat.Text(partnerId, text), seq);
                    }
                    catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
                    {
                        // The connection is gone; the receive loop reconnects. The send stays pending (no ack).
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        private async Task ReceiveLoopAsync(ConnectionRecord connection)
        {
            while (true)
            {
                var frame = await connection.Client.ReceiveAsync(TimeSpan.FromSeconds(1));
                if (frame is null)
                {
                    if (connection.Client.Closed.IsCompleted)
                    {
                        break;
                    }

                    continue;
                }

                if (frame.Command == CommandKeys.MessageDataAck && connection.Pending.TryRemove(frame.Header.SeqNum, out var pending))
                {
                    Acked.Enqueue(new AckedMessage(userId, partnerId, frame.Parse<IMMsgDataAck>().MsgId, pending.Text, pending.SentAt, load.Now));
                }
                else if (frame.Command == CommandKeys.MessageData)
                {
                    var message = frame.Parse<IMMsgData>();
                    connection.Received.Enqueue((message.FromUserId, message.MsgId));
                }
            }

            connection.ClosedAt = load.Now;
            if (load.stopping.IsCancellationRequested)
            {
                return;
            }

            // Sends on a dead connection get no ack: they stay pending (counted as failed sends).
            await ReconnectAsync(connection.ClosedAt.Value);
        }

        private async Task ReconnectAsync(TimeSpan lostAt)
        {
            for (var attempt = 0; !load.stopping.IsCancellationRequested; attempt++)
            {
                var asked = load.DiscoveryGateways[attempt % load.DiscoveryGateways.Count];
                try
                {
                    var body = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{asked.HttpPort}/msg_server"));
                    using var json = System.Text.Json.JsonDocument.Parse(body);
                    if (json.RootElement.GetProperty("code").GetInt32() == 0)
                    {
                        var port = int.Parse(json.RootElement.GetProperty("port").GetString()!, CultureInfo.InvariantCulture);
                        var client = await TeamTalkClient.ConnectAsync("127.0.0.1", port);
                        var (reply, _) = await client.LoginAsync(name, TestDatabase.Password, ClientType.Windows, TimeSpan.FromSeconds(5));
                        if (reply?.ResultCode == ResultType.RefuseReasonNone)
                        {
                            Attach(client, port);
                            Reconnects.Enqueue(load.Now - lostAt);
                            return;
                        }

                        await client.DisposeAsync();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // This gateway is gone or not ready: try the next one.
                }

                FailedAttempts++;
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
