using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>The chat scenario's connections in one process.</summary>
internal sealed class ChatWorker : IScenarioWorker, IFrameSink, IStreamOwner
{
    private readonly CommonOptions common;
    private readonly ServerLocator locator;
    private readonly LoginStats logins = new();
    private readonly Dictionary<int, Endpoints> byUser = [];
    private readonly List<ChatStream> streams = [];
    private readonly List<LeanConnection> connections = [];
    private readonly Scheduler scheduler = new("chat-scheduler");
    private readonly LatencyHistogram ack = new();
    private readonly LatencyHistogram delivery = new();
    private readonly List<string> notes = [];
    private LatencyHistogram progressBase = new();
    private long[] ackSeries = new long[1];
    private long[] deliverySeries = new long[1];
    private long go;
    private long windowStart = long.MaxValue;
    private long sentTotal, sentWindow, ackedTotal, ackedWindow, deliveredTotal, deliveredWindow;
    private long sendFailures, closedDuringRun, unexpectedFrames, pairsIncomplete, heartbeatsSent, heartbeatFailures;
    private int running;

    public ChatWorker(CommonOptions common, ChatOptions chat)
    {
        this.common = common;
        Chat = chat;
        locator = new ServerLocator(common);
    }

    public ChatOptions Chat { get; }

    public int Inflight => Chat.Inflight;

    public int MessageBytes => Chat.MessageBytes;

    public long WindowEnd { get; private set; } = long.MaxValue;

    public async Task PrepareAsync(CancellationToken ct)
    {
        var users = new List<int>();
        for (var p = common.WorkerIndex; p < Chat.Pairs; p += common.WorkerCount)
        {
            users.Add(2 * p);
            users.Add((2 * p) + 1);
        }

        foreach (var u in users)
        {
            byUser[u] = new Endpoints();
        }

        var opened = await Sessions.OpenManyAsync(common, locator, users, this, logins, ct);
        for (var i = 0; i < opened.Length; i += 2)
        {
            if (opened[i] is not { } a || opened[i + 1] is not { } b)
            {
                pairsIncomplete++;
                opened[i]?.Dispose();
                opened[i + 1]?.Dispose();
                continue;
            }

            connections.Add(a);
            connections.Add(b);
            var forward = new ChatStream(this, a, b.UserId, 1);
            streams.Add(forward);
            byUser[a.Index].Out = forward;
            byUser[b.Index].In = forward;
            if (!Chat.OneWay)
            {
                var back = new ChatStream(this, b, a.UserId, 1);
                streams.Add(back);
                byUser[b.Index].Out = back;
                byUser[a.Index].In = back;
            }
        }

        if (pairsIncomplete > 0)
        {
            notes.Add($"{pairsIncomplete} pairs could not log in and were left out ({logins.FirstError})");
        }
    }

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        go = goTicks;
        windowStart = go + Sessions.Ticks(Chat.Warmup);
        WindowEnd = windowStart + Sessions.Ticks(Chat.Duration);
        var drainEnd = WindowEnd + Sessions.Ticks(Chat.Drain);
        var seconds = (int)Math.Ceiling((Chat.Warmup + Chat.Duration + Chat.Drain).TotalSeconds) + 2;
        ackSeries = new long[seconds];
        deliverySeries = new long[seconds];
        var random = new Random(1234 + common.WorkerIndex);
        foreach (var stream in streams)
        {
            if (Chat.Rate > 0)
            {
                var plan = new SendSchedule(go, Chat.Rate, random.NextDouble(), WindowEnd, Stopwatch.Frequency);
                stream.UseSchedule(plan);
                scheduler.Add(stream, plan.NextDue);
            }
            else
            {
                scheduler.Add(stream, go + (long)(random.NextDouble() * Stopwatch.Frequency / 100));
            }
        }

        var period = Sessions.Ticks(common.Heartbeat);
        foreach (var c in connections)
        {
            scheduler.Add(new HeartbeatTask(c, period, ok =>
            {
                Interlocked.Increment(ref heartbeatsSent);
                if (!ok)
                {
                    Interlocked.Increment(ref heartbeatFailures);
                }
            }), go + (long)(random.NextDouble() * period));
        }

        Volatile.Write(ref running, 1);
        scheduler.Start(drainEnd + Sessions.Ticks(TimeSpan.FromSeconds(5)));
        await RunContext.SleepUntilAsync(WindowEnd, ct);

        // Drain: wait until every message sent was acked and delivered, or the drain time is up.
        while (Stopwatch.GetTimestamp() < drainEnd && !streams.All(s => s.Ledger.AckedCount == s.Ledger.Sent && s.Ledger.DeliveredCount >= s.Ledger.Sent))
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
        r.Add("streams", streams.Count);
        r.Add("sent_total", Volatile.Read(ref sentTotal));
        r.Add("sent_window", Volatile.Read(ref sentWindow));
        r.Add("acked_total", Volatile.Read(ref ackedTotal));
        r.Add("acked_window", Volatile.Read(ref ackedWindow));
        r.Add("delivered_total", Volatile.Read(ref deliveredTotal));
        r.Add("delivered_window", Volatile.Read(ref deliveredWindow));
        r.Add("lost", streams.Sum(s => s.Ledger.AckedNotDelivered()));
        r.Add("duplicates", streams.Sum(s => s.Ledger.DuplicateDeliveries));
        r.Add("out_of_order", streams.Sum(s => s.Ledger.OutOfOrder));
        r.Add("unmatched_acks", streams.Sum(s => s.Ledger.UnmatchedAcks));
        r.Add("send_failures", Volatile.Read(ref sendFailures));
        r.Add("closed_during_run", Volatile.Read(ref closedDuringRun));
        r.Add("unexpected_frames", Volatile.Read(ref unexpectedFrames));
        r.Add("pairs_incomplete", pairsIncomplete);
        r.Add("heartbeats_sent", Volatile.Read(ref heartbeatsSent));
        r.Add("heartbeat_failures", Volatile.Read(ref heartbeatFailures));
        r.Max("scheduler_max_lateness_us", Sessions.Micros(scheduler.MaxLatenessTicks));
        r.Histograms["ack"] = ack.ToData();
        r.Histograms["delivery"] = delivery.ToData();
        r.Series["acks_per_second"] = ackSeries;
        r.Series["deliveries_per_second"] = deliverySeries;
        logins.AddTo(r);
        r.Notes.AddRange(notes);
        return r;
    }

    public WorkerProgress Progress()
    {
        var current = ack.Copy();
        var interval = current.Since(progressBase);
        progressBase = current;
        return new WorkerProgress(
            connections.Count(c => !c.IsClosed) + (connections.Count == 0 ? Volatile.Read(ref logins.Ok) : 0),
            Volatile.Read(ref sentTotal), Volatile.Read(ref ackedTotal), Volatile.Read(ref deliveredTotal),
            interval.Percentile(99) / 1000.0,
            Volatile.Read(ref sendFailures) + Volatile.Read(ref closedDuringRun) + logins.Failed);
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

    public void RecordSent(long intended)
    {
        Interlocked.Increment(ref sentTotal);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref sentWindow);
        }
    }

    public void RecordSendFailure() => Interlocked.Increment(ref sendFailures);

    public void RecordAck(long intended, long now)
    {
        Interlocked.Increment(ref ackedTotal);
        Count(ackSeries, now);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref ackedWindow);
            ack.Record(Sessions.Micros(now - intended));
        }
    }

    public void OnFrame(LeanConnection connection, in PacketHeader header, ReadOnlySpan<byte> body)
    {
        var now = Stopwatch.GetTimestamp();
        if (header.Command == CommandKeys.MessageDataAck)
        {
            if (byUser.TryGetValue(connection.Index, out var e) && e.Out is { } stream)
            {
                stream.OnAck(header.SeqNum, now);
            }
            else
            {
                Interlocked.Increment(ref unexpectedFrames);
            }

            return;
        }

        if (header.Command == CommandKeys.MessageData)
        {
            OnMessage(connection, body, now);
            return;
        }

        if (header.Command != CommandKeys.Heartbeat)
        {
            Interlocked.Increment(ref unexpectedFrames);
        }
    }

    public void OnClosed(LeanConnection connection, string reason)
    {
        if (Volatile.Read(ref running) == 1)
        {
            Interlocked.Increment(ref closedDuringRun);
            lock (notes)
            {
                if (notes.Count < 20)
                {
                    notes.Add($"connection of {common.UserName(connection.Index)} closed during the run: {reason}");
                }
            }
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
            Interlocked.Increment(ref unexpectedFrames);
            return;
        }

        if (!stream.Ledger.Deliver(k, msgId))
        {
            return;
        }

        Interlocked.Increment(ref deliveredTotal);
        Count(deliverySeries, now);
        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref deliveredWindow);
            delivery.Record(Sessions.Micros(now - intended));
        }
    }

    private void Count(long[] series, long now)
    {
        var second = (now - go) / Stopwatch.Frequency;
        if (second >= 0 && second < series.Length)
        {
            Interlocked.Increment(ref series[second]);
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
