using System.Diagnostics;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Framing;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>Options of the <c>chat</c> scenario.</summary>
internal sealed record ChatOptions
{
    public int Pairs { get; init; } = 100;

    /// <summary>Messages per second each sending user sends (0: flat-out, closed loop with <see cref="Inflight"/>).</summary>
    public double Rate { get; init; } = 18;

    public int Inflight { get; init; } = 4;

    /// <summary>Only the first user of each pair sends (default: both send to each other).</summary>
    public bool OneWay { get; init; }

    public int MessageBytes { get; init; } = 40;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public int SendersPerPair => OneWay ? 1 : 2;

    public static ChatOptions Parse(ParsedArgs args) => new()
    {
        Pairs = args.Int("pairs", 100, 1, 100_000),
        Rate = args.Double("rate", 18, 0, 10_000),
        Inflight = args.Int("inflight", 4, 1, 256),
        OneWay = args.Flag("one-way"),
        MessageBytes = args.Int("message-bytes", 40, 1, 4000),
        Warmup = args.Duration("warmup", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        Duration = args.Duration("duration", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
        Drain = args.Duration("drain", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
    };
}

/// <summary>
/// <c>chat</c>: P pairs of users; each sending user sends 1:1 text to its peer at R msgs/s (open loop, latency from the
/// intended send time) or flat-out (closed loop, a window of unacked messages per sender). Receivers answer every
/// push with <c>CID_MSG_DATA_ACK</c> as real clients do. Measures ack latency (send → <c>IMMsgDataAck</c>), delivery
/// latency (send → receiver gets <c>IMMsgData</c>), throughput in the measured window, loss (acked, never delivered).
/// </summary>
internal sealed class ChatScenario(ChatOptions chat) : IScenario
{
    public string Name => "chat";

    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["pairs"] = chat.Pairs,
        ["senders"] = chat.Pairs * chat.SendersPerPair,
        ["rate_per_sender"] = chat.Rate,
        ["mode"] = chat.Rate > 0 ? "rate (open loop)" : $"flat-out (closed loop, {chat.Inflight} in flight per sender)",
        ["offered_msgs_per_s"] = chat.Rate > 0 ? chat.Rate * chat.Pairs * chat.SendersPerPair : null,
        ["message_bytes"] = chat.MessageBytes,
        ["warmup_s"] = chat.Warmup.TotalSeconds,
        ["duration_s"] = chat.Duration.TotalSeconds,
        ["drain_max_s"] = chat.Drain.TotalSeconds,
    };

    public int UsersNeeded => chat.Pairs * 2;

    public Task SetupAsync(CommonOptions common, CancellationToken ct) => Task.CompletedTask;

    public IScenarioWorker CreateWorker(CommonOptions common) => new ChatWorker(common, chat);

    public async Task<ScenarioReport> CoordinateAsync(RunContext context, CancellationToken ct)
    {
        context.Live.Phase($"chat: warm-up {chat.Warmup.TotalSeconds:0} s, then measuring {chat.Duration.TotalSeconds:0} s");
        var loadgen = new CpuMeter(context.LoadGenProcesses());
        var go = context.Go();
        await RunContext.SleepUntilAsync(go + Sessions.Ticks(chat.Warmup), ct);
        context.Servers.Start();
        loadgen.Start();
        await Task.WhenAll(context.Workers.Select(w => w.WaitPhaseAsync("drained")));
        var cpu = context.Servers.Stop();
        var ownCpu = loadgen.Stop();
        foreach (var w in context.Workers)
        {
            w.Stop();
        }

        var merged = await context.MergedResultsAsync();
        return BuildReport(context.Common, merged, cpu, ownCpu);
    }

    private ScenarioReport BuildReport(CommonOptions common, WorkerResult r, CpuWindow cpu, CpuWindow ownCpu)
    {
        var seconds = chat.Duration.TotalSeconds;
        var ack = r.Histogram("ack").Summarize();
        var delivery = r.Histogram("delivery").Summarize();
        var sentWindow = r.Counter("sent_window");
        var ackedWindow = r.Counter("acked_window");
        var deliveredWindow = r.Counter("delivered_window");
        var lost = r.Counter("lost");
        var unacked = r.Counter("sent_total") - r.Counter("acked_total");
        var warmupSeconds = (int)chat.Warmup.TotalSeconds;
        var perSecond = r.Series.TryGetValue("acks_per_second", out var s)
            ? s.Skip(warmupSeconds + 1).Take(Math.Max(0, (int)seconds - 2)).ToArray()
            : [];
        var report = new ScenarioReport { Scenario = Name, Label = common.Label, Parameters = Parameters };
        var serverCpu = cpu.TotalCpuSeconds;
        double? microsPerMessage = deliveredWindow > 0 && cpu.Processes.Count > 0 ? serverCpu * 1e6 / deliveredWindow : null;
        report.Figures["streams"] = r.Counter("streams");
        report.Figures["sent_msgs_per_s"] = sentWindow / seconds;
        report.Figures["acked_msgs_per_s"] = ackedWindow / seconds;
        report.Figures["delivered_msgs_per_s"] = deliveredWindow / seconds;
        report.Figures["acked_per_second_min"] = perSecond.Length > 0 ? perSecond.Min() : null;
        report.Figures["acked_per_second_max"] = perSecond.Length > 0 ? perSecond.Max() : null;
        report.Figures["ack_latency"] = ack;
        report.Figures["delivery_latency"] = delivery;
        report.Figures["sent_total"] = r.Counter("sent_total");
        report.Figures["acked_total"] = r.Counter("acked_total");
        report.Figures["delivered_total"] = r.Counter("delivered_total");
        report.Figures["lost_acked_not_delivered"] = lost;
        report.Figures["unacked"] = unacked;
        report.Figures["duplicate_deliveries"] = r.Counter("duplicates");
        report.Figures["out_of_order_deliveries"] = r.Counter("out_of_order");
        report.Figures["send_failures"] = r.Counter("send_failures");
        report.Figures["connections_closed_by_server"] = r.Counter("closed_during_run");
        report.Figures["pairs_incomplete"] = r.Counter("pairs_incomplete");
        report.Figures["login"] = r.Histogram("login").Summarize();
        report.Figures["logins_failed"] = r.Counter("logins_refused") + r.Counter("logins_timed_out") + r.Counter("connect_errors") + r.Counter("discovery_errors");
        report.Figures["server_cpu"] = cpu;
        report.Figures["server_cpu_us_per_delivered_msg"] = microsPerMessage;
        report.Figures["loadgen_cpu"] = ownCpu;
        report.Figures["scheduler_max_lateness_ms"] = r.MaxOf("scheduler_max_lateness_us") / 1000.0;
        report.Figures["acks_per_second"] = s;
        report.Notes.AddRange(r.Notes);

        var offered = chat.Rate > 0 ? $"offered {ScenarioReport.N(chat.Rate * chat.Pairs * chat.SendersPerPair)} msgs/s ({chat.Pairs * chat.SendersPerPair} senders × {chat.Rate} msgs/s)" : $"flat-out, {chat.Pairs * chat.SendersPerPair} senders × {chat.Inflight} in flight";
        report.Row("load", $"{chat.Pairs} pairs, {offered}, {chat.Duration.TotalSeconds:0} s measured after {chat.Warmup.TotalSeconds:0} s warm-up");
        report.Row("sent / acked / delivered", $"{ScenarioReport.N(sentWindow / seconds)} / {ScenarioReport.N(ackedWindow / seconds)} / {ScenarioReport.N(deliveredWindow / seconds)} msgs/s");
        if (perSecond.Length > 0)
        {
            report.Row("acked per second (min … max)", $"{ScenarioReport.N(perSecond.Min())} … {ScenarioReport.N(perSecond.Max())}");
        }

        report.Latency("ack latency", ack);
        report.Latency("delivery latency", delivery);
        report.Row("loss (acked, not delivered)", ScenarioReport.N(lost));
        report.Row("unacked / duplicates / out of order", $"{ScenarioReport.N(unacked)} / {ScenarioReport.N(r.Counter("duplicates"))} / {ScenarioReport.N(r.Counter("out_of_order"))}");
        if (cpu.Processes.Count > 0)
        {
            report.Row("server CPU", $"{cpu.Cores:0.00} cores ({string.Join(", ", cpu.Processes.GroupBy(p => p.Role).Select(g => $"{g.Key} {g.Sum(p => p.CpuSeconds) / cpu.WallSeconds:0.00}"))})");
            report.Row("server CPU per delivered message", microsPerMessage is { } us ? $"{us:0} µs" : "—");
        }

        report.Row("load generator CPU", $"{ownCpu.Cores:0.00} cores");
        if (lost > 0)
        {
            report.Notes.Add($"LOSS: {lost} acked messages were never delivered to their online receiver");
        }

        return report;
    }
}

/// <summary>What a <see cref="ChatStream"/> reports to and reads from the worker that owns it.</summary>
internal interface IStreamOwner
{
    int Inflight { get; }

    int MessageBytes { get; }

    long WindowEnd { get; }

    void RecordSent(long intended);

    void RecordAck(long intended, long now);

    void RecordSendFailure();
}

/// <summary>
/// One sender's messages to one session (a peer user, or a group): its send plan (a rate schedule, or a flat-out window
/// of unacked messages) and what became of each message.
/// </summary>
internal sealed class ChatStream : IScheduled
{
    private const int RingSize = 1024;

    private readonly IStreamOwner owner;
    private readonly byte[] body;
    private readonly Lock flatOutGate = new();
    private readonly long[] sentAt = new long[RingSize];
    private readonly uint msgType;
    private SendSchedule? schedule;
    private long nextK;
    private int outstanding;

    public ChatStream(IStreamOwner owner, LeanConnection from, uint toSessionId, uint msgType)
    {
        this.owner = owner;
        this.msgType = msgType;
        From = from;
        ToSessionId = toSessionId;
        body = new byte[64 + Math.Max(owner.MessageBytes, MessagePayload.MaxHeaderBytes)];
    }

    public LeanConnection From { get; }

    /// <summary>The peer user id (1:1) or the group id.</summary>
    public uint ToSessionId { get; }

    /// <summary>Acks of this sender's messages (and, for 1:1, deliveries to the peer).</summary>
    public MessageLedger Ledger { get; } = new();

    public void UseSchedule(SendSchedule plan) => schedule = plan;

    public long IntendedOf(long k) => schedule?.IntendedTime(k) ?? sentAt[k % RingSize];

    public long Run(long now)
    {
        if (From.IsClosed)
        {
            return long.MaxValue;
        }

        if (schedule is { } plan)
        {
            while (plan.TryTakeDue(now, out var k, out var intended))
            {
                Send(k, intended);
            }

            return plan.Finished ? long.MaxValue : plan.NextDue;
        }

        lock (flatOutGate)
        {
            TopUp(now);
        }

        return long.MaxValue;
    }

    /// <summary>An ack for this stream arrived on the sender's receive loop.</summary>
    public void OnAck(ushort seq, long now)
    {
        var k = Ledger.Ack(seq);
        if (k < 0)
        {
            return;
        }

        owner.RecordAck(IntendedOf(k), now);
        if (schedule is null)
        {
            lock (flatOutGate)
            {
                outstanding--;
                TopUp(now);
            }
        }
    }

    private void TopUp(long now)
    {
        while (outstanding < owner.Inflight && now < owner.WindowEnd)
        {
            var k = nextK++;
            sentAt[k % RingSize] = now;
            outstanding++;
            Send(k, now);
        }
    }

    private void Send(long k, long intended)
    {
        Span<byte> payload = stackalloc byte[Math.Max(owner.MessageBytes, MessagePayload.MaxHeaderBytes)];
        var payloadLength = MessagePayload.Write(payload, k, intended, owner.MessageBytes);
        var writer = new ProtoWriter(body);
        writer.UInt32(1, From.UserId);
        writer.UInt32(2, ToSessionId);
        writer.UInt32(3, 0);
        writer.UInt32(4, 0);
        writer.UInt32(5, msgType);
        writer.Bytes(6, payload[..payloadLength]);
        Ledger.MarkSent(k);
        owner.RecordSent(intended);
        if (!From.SendFrame(CommandKeys.MessageData, MessageLedger.SeqFor(k), body.AsSpan(0, writer.Length)))
        {
            owner.RecordSendFailure();
        }
    }
}

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
