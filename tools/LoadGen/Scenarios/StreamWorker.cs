using System.Diagnostics;
using System.Runtime.CompilerServices;
using TeamTalk.Orleans.LoadGen.Cli;
using TeamTalk.Orleans.LoadGen.Client;
using TeamTalk.Orleans.LoadGen.Metrics;
using TeamTalk.Orleans.LoadGen.Workers;

namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>
/// What the message-stream workers (chat, group) share on top of <see cref="ConnectionWorker"/>: the measurement
/// window, the sent/acked/delivered counters and latency histograms (optionally acks and deliveries per second), the
/// run (streams, heartbeats, window, drain, stop) and the parsing of a delivered CID_MSG_DATA.
/// </summary>
internal abstract class StreamWorker : ConnectionWorker, IStreamOwner
{
    private readonly bool perSecond;
    private LatencyHistogram progressBase = new();
    private long[]? ackSeries;
    private long[]? deliverySeries;
    private long go;
    private long windowStart = long.MaxValue;
    private long sentTotal, sentWindow, ackedTotal, ackedWindow, deliveredTotal, deliveredWindow, sendFailures;

    /// <param name="common">The options every scenario shares.</param>
    /// <param name="schedulerName">The name of the scheduler thread.</param>
    /// <param name="closedNoteLimit">How many connections closed during the run get a note (0: none).</param>
    /// <param name="perSecond">Whether to count acks and deliveries per second since go.</param>
    protected StreamWorker(CommonOptions common, string schedulerName, int closedNoteLimit, bool perSecond)
        : base(common, schedulerName, closedNoteLimit, "closed during the run")
    {
        this.perSecond = perSecond;
    }

    public abstract int Inflight { get; }

    public abstract int MessageBytes { get; }

    public long WindowEnd { get; private set; } = long.MaxValue;

    /// <summary>Message ack latency (intended send → CID_MSG_DATA_ACK) of messages intended in the window.</summary>
    protected LatencyHistogram Ack { get; } = new();

    /// <summary>Delivery latency (intended send → CID_MSG_DATA at a receiver) of messages intended in the window.</summary>
    protected LatencyHistogram Delivery { get; } = new();

    protected long SentTotal => Volatile.Read(ref sentTotal);

    protected long AckedTotal => Volatile.Read(ref ackedTotal);

    protected long DeliveredTotal => Volatile.Read(ref deliveredTotal);

    protected long SendFailures => Volatile.Read(ref sendFailures);

    /// <summary>Warm-up, then the measured window, then the drain.</summary>
    protected abstract (TimeSpan Warmup, TimeSpan Duration, TimeSpan Drain) Phases { get; }

    /// <summary>The seed of the run's random numbers (the worker index is added).</summary>
    protected abstract int Seed { get; }

    public async Task RunAsync(long goTicks, IWorkerSignals signals, CancellationToken ct)
    {
        var (warmup, duration, drain) = Phases;
        go = goTicks;
        windowStart = go + Sessions.Ticks(warmup);
        WindowEnd = windowStart + Sessions.Ticks(duration);
        var drainEnd = WindowEnd + Sessions.Ticks(drain);
        if (perSecond)
        {
            var seconds = (int)Math.Ceiling((warmup + duration + drain).TotalSeconds) + 2;
            ackSeries = new long[seconds];
            deliverySeries = new long[seconds];
        }

        var random = new Random(Seed + Common.WorkerIndex);
        ScheduleStreams(go, random);
        var period = Sessions.Ticks(Common.Heartbeat);
        foreach (var c in Connections)
        {
            ScheduleHeartbeat(c, period, go, random);
        }

        SetLive(true);
        Scheduler.Start(drainEnd + Sessions.Ticks(TimeSpan.FromSeconds(5)));
        await RunContext.SleepUntilAsync(WindowEnd, ct);

        // Drain: wait until every message sent was acked and delivered, or the drain time is up.
        while (Stopwatch.GetTimestamp() < drainEnd && !Drained())
        {
            await Task.Delay(100, ct);
        }

        signals.Phase("drained");
        await signals.StopRequested.WaitAsync(TimeSpan.FromSeconds(120), ct);
        SetLive(false);
        Scheduler.Stop();
        foreach (var c in Connections)
        {
            c.Close();
        }
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

    public void RecordAck(long intended, long now) => Record(ref ackedTotal, ref ackedWindow, ackSeries, Ack, intended, now);

    /// <summary>Adds every stream to the scheduler (called once, at the start of the run, before the heartbeats).</summary>
    protected abstract void ScheduleStreams(long goTicks, Random random);

    /// <summary>Sends on <paramref name="stream"/> at <paramref name="rate"/> messages a second from go to the window's end, at a random phase.</summary>
    protected void ScheduleAtRate(ChatStream stream, long goTicks, double rate, Random random)
    {
        var plan = new SendSchedule(goTicks, rate, random.NextDouble(), WindowEnd, Stopwatch.Frequency);
        stream.UseSchedule(plan);
        Scheduler.Add(stream, plan.NextDue);
    }

    /// <summary>The 99th percentile in ms of what <paramref name="basis"/> recorded since the previous call (for progress lines).</summary>
    protected double IntervalP99Millis(LatencyHistogram basis)
    {
        var current = basis.Copy();
        var interval = current.Since(progressBase);
        progressBase = current;
        return interval.Percentile(99) / 1000.0;
    }

    /// <summary>Whether every message sent so far was acked and delivered (polled during the drain).</summary>
    protected abstract bool Drained();

    /// <summary>Counts a first delivery of a message intended at <paramref name="intended"/>, received at <paramref name="now"/>.</summary>
    protected void RecordDelivery(long intended, long now) => Record(ref deliveredTotal, ref deliveredWindow, deliverySeries, Delivery, intended, now);

    /// <summary>The sender, message id and text of a CID_MSG_DATA body (fields 1, 3 and 6), read in place.</summary>
    protected static void ReadMessage(ReadOnlySpan<byte> body, out uint from, out uint msgId, out ReadOnlySpan<byte> text)
    {
        from = 0;
        msgId = 0;
        text = default;
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
    }

    /// <summary>sent/acked/delivered, total and in the window.</summary>
    protected void AddTraffic(WorkerResult result)
    {
        result.Add("sent_total", Volatile.Read(ref sentTotal));
        result.Add("sent_window", Volatile.Read(ref sentWindow));
        result.Add("acked_total", Volatile.Read(ref ackedTotal));
        result.Add("acked_window", Volatile.Read(ref ackedWindow));
        result.Add("delivered_total", Volatile.Read(ref deliveredTotal));
        result.Add("delivered_window", Volatile.Read(ref deliveredWindow));
    }

    /// <summary>Send failures, connections closed during the run, unexpected frames.</summary>
    protected void AddFailures(WorkerResult result)
    {
        result.Add("send_failures", SendFailures);
        result.Add("closed_during_run", ClosedWhileLive);
        result.Add("unexpected_frames", UnexpectedFrames);
    }

    /// <summary>The ack and delivery histograms, and the per-second series when counted.</summary>
    protected void AddLatencies(WorkerResult result)
    {
        result.Histograms["ack"] = Ack.ToData();
        result.Histograms["delivery"] = Delivery.ToData();
        if (perSecond)
        {
            result.Series["acks_per_second"] = ackSeries ?? new long[1];
            result.Series["deliveries_per_second"] = deliverySeries ?? new long[1];
        }
    }

    /// <summary>One ack or first delivery: the total, the second since go (when counted) and, when intended in the window, the window count and latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(ref long total, ref long window, long[]? series, LatencyHistogram latency, long intended, long now)
    {
        Interlocked.Increment(ref total);
        if (series is not null)
        {
            Count(series, now);
        }

        if (intended >= windowStart && intended < WindowEnd)
        {
            Interlocked.Increment(ref window);
            latency.Record(Sessions.Micros(now - intended));
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
}
