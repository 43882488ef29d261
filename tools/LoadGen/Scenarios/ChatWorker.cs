using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The chat scenario's connections in one process.</summary>
internal sealed class ChatWorker : StreamWorker, IScenarioWorker, IFrameSink
{
    private readonly Dictionary<int, Endpoints> byUser = [];
    private readonly List<ChatStream> streams = [];
    private long pairsIncomplete;

    public ChatWorker(CommonOptions common, ChatOptions chat)
        : base(common, "chat-scheduler", closedNoteLimit: 20, perSecond: true)
    {
        Chat = chat;
    }

    public ChatOptions Chat { get; }

    public override int Inflight => Chat.Inflight;

    public override int MessageBytes => Chat.MessageBytes;

    protected override (TimeSpan Warmup, TimeSpan Duration, TimeSpan Drain) Phases => (Chat.Warmup, Chat.Duration, Chat.Drain);

    protected override int Seed => 1234;

    public async Task PrepareAsync(CancellationToken ct)
    {
        if (Chat.OfflineReceivers)
        {
            await PrepareOfflineAsync(ct);
            return;
        }

        var users = new List<int>();
        for (var p = Common.WorkerIndex; p < Chat.Pairs; p += Common.WorkerCount)
        {
            users.Add(2 * p);
            users.Add((2 * p) + 1);
        }

        foreach (var u in users)
        {
            byUser[u] = new Endpoints();
        }

        var opened = await Sessions.OpenManyAsync(Common, Locator, users, this, Logins, ct);
        for (var i = 0; i < opened.Length; i += 2)
        {
            if (opened[i] is not { } a || opened[i + 1] is not { } b)
            {
                pairsIncomplete++;
                opened[i]?.Dispose();
                opened[i + 1]?.Dispose();
                continue;
            }

            Connections.Add(a);
            Connections.Add(b);
            var forward = new ChatStream(this, a, b.UserId, 1, Chat.Probe);
            streams.Add(forward);
            byUser[a.Index].Out = forward;
            byUser[b.Index].In = forward;
            if (!Chat.OneWay)
            {
                var back = new ChatStream(this, b, a.UserId, 1, Chat.Probe);
                streams.Add(back);
                byUser[b.Index].Out = back;
                byUser[a.Index].In = back;
            }
        }

        if (pairsIncomplete > 0)
        {
            Notes.Add($"{pairsIncomplete} pairs could not log in and were left out ({Logins.FirstError})");
        }
    }

    /// <summary>Logs in the first user of each pair only; its stream goes to the offline second user (looked up in the database).</summary>
    private async Task PrepareOfflineAsync(CancellationToken ct)
    {
        var senders = new List<int>();
        for (var p = Common.WorkerIndex; p < Chat.Pairs; p += Common.WorkerCount)
        {
            senders.Add(2 * p);
        }

        var receivers = await ChatScenario.ReceiverIdsAsync(Common, senders.Select(s => s + 1).ToList(), ct);
        foreach (var u in senders)
        {
            byUser[u] = new Endpoints();
        }

        var opened = await Sessions.OpenManyAsync(Common, Locator, senders, this, Logins, ct);
        for (var i = 0; i < opened.Length; i++)
        {
            if (opened[i] is not { } a)
            {
                pairsIncomplete++;
                continue;
            }

            Connections.Add(a);
            var stream = new ChatStream(this, a, receivers[i], 1);
            streams.Add(stream);
            byUser[a.Index].Out = stream;
        }

        if (pairsIncomplete > 0)
        {
            Notes.Add($"{pairsIncomplete} senders could not log in and were left out ({Logins.FirstError})");
        }
    }

    public WorkerResult Collect()
    {
        var r = new WorkerResult();
        r.Add("streams", streams.Count);
        AddTraffic(r);
        // Offline receivers get pushes, not deliveries: nothing is "acked, not delivered".
        r.Add("lost", Chat.OfflineReceivers || Chat.Probe ? 0 : streams.Sum(s => s.Ledger.AckedNotDelivered()));
        r.Add("duplicates", streams.Sum(s => s.Ledger.DuplicateDeliveries));
        r.Add("out_of_order", streams.Sum(s => s.Ledger.OutOfOrder));
        r.Add("unmatched_acks", streams.Sum(s => s.Ledger.UnmatchedAcks));
        AddFailures(r);
        r.Add("pairs_incomplete", pairsIncomplete);
        r.Add("heartbeats_sent", HeartbeatsSent);
        r.Add("heartbeat_failures", HeartbeatFailures);
        r.Max("scheduler_max_lateness_us", Sessions.Micros(Scheduler.MaxLatenessTicks));
        AddLatencies(r);
        AddLoginsAndNotes(r);
        return r;
    }

    public WorkerProgress Progress()
    {
        return new WorkerProgress(
            Connections.Count(c => !c.IsClosed) + (Connections.Count == 0 ? Volatile.Read(ref Logins.Ok) : 0),
            SentTotal, AckedTotal, DeliveredTotal,
            IntervalP99Millis(Ack),
            SendFailures + ClosedWhileLive + Logins.Failed);
    }

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        var now = Stopwatch.GetTimestamp();
        if (header.Command == CommandKeys.MessageDataAck || (Chat.Probe && header.Command == CommandKeys.LatestIdResponse))
        {
            if (byUser.TryGetValue(connection.Index, out var e) && e.Out is { } stream)
            {
                stream.OnAck(header.SeqNum, now);
            }
            else
            {
                CountUnexpected();
            }

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
        foreach (var stream in streams)
        {
            if (Chat.Rate > 0)
            {
                ScheduleAtRate(stream, goTicks, Chat.Rate, random);
            }
            else
            {
                Scheduler.Add(stream, goTicks + (long)(random.NextDouble() * Stopwatch.Frequency / 100));
            }
        }
    }

    protected override bool Drained() =>
        streams.All(s => s.Ledger.AckedCount == s.Ledger.Sent && (Chat.OfflineReceivers || Chat.Probe || s.Ledger.DeliveredCount >= s.Ledger.Sent));

    private void OnMessage(LeanConnection connection, ReadOnlySpan<byte> body, long now)
    {
        ReadMessage(body, out var from, out var msgId, out var text);

        // Answer like a client: CID_MSG_DATA_ACK with the message id.
        Span<byte> ackBody = stackalloc byte[32];
        var writer = new ProtoWriter(ackBody);
        writer.UInt32(1, connection.UserId);
        writer.UInt32(2, from);
        writer.UInt32(3, msgId);
        writer.UInt32(4, 1); // SESSION_TYPE_SINGLE
        connection.SendFrame(CommandKeys.MessageDataAck, 0, ackBody[..writer.Length]);

        if (!byUser.TryGetValue(connection.Index, out var e) || e.In is not { } stream || stream.From.UserId != from
            || !MessagePayload.TryParse(text, out var k, out var intended))
        {
            CountUnexpected();
            return;
        }

        if (stream.Ledger.Deliver(k, msgId))
        {
            RecordDelivery(intended, now);
        }
    }

    private sealed class Endpoints
    {
        private ChatStream? outgoing;
        private ChatStream? incoming;

        public ChatStream? Out { get => Volatile.Read(ref outgoing); set => Volatile.Write(ref outgoing, value); }

        public ChatStream? In { get => Volatile.Read(ref incoming); set => Volatile.Write(ref incoming, value); }
    }
}
