using System.Diagnostics.Metrics;

namespace TeamTalk.Orleans.Grains.Conversations;

/// <summary>
/// The silo's conversation instruments (meter <c>TeamTalk.Conversations</c>): the committer's batches (size, latency,
/// failures, queue depth) and the delivery of committed messages (fan-out, latency, failures). Tags are fixed strings;
/// recording allocates nothing.
/// </summary>
public sealed class ConversationMetrics : IDisposable
{
    public const string MeterName = "TeamTalk.Conversations";

    private static readonly KeyValuePair<string, object?> Pair = new("kind", "pair");
    private static readonly KeyValuePair<string, object?> Group = new("kind", "group");

    private readonly Meter meter;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> commitDuration;
    private readonly Counter<long> committed;
    private readonly Counter<long> failedBatches;
    private readonly Histogram<int> fanOut;
    private readonly Histogram<double> deliveryDuration;
    private readonly Counter<long> deliveryFailures;
    private readonly TimeProvider time;

    /// <param name="meters">The host's meter factory; null for a meter of its own (tests that build a committer by hand).</param>
    /// <param name="time">The clock of latencies (the system's when null).</param>
    public ConversationMetrics(IMeterFactory? meters, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        batchSize = meter.CreateHistogram("teamtalk.commit.batch_size", "{message}", "Messages per committed transaction",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        commitDuration = meter.CreateHistogram("teamtalk.commit.duration", "s", "Time of one batch's transaction (all its attempts)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        committed = meter.CreateCounter<long>("teamtalk.commit.messages", "{message}", "Messages committed (made durable; each is then acknowledged)");
        failedBatches = meter.CreateCounter<long>("teamtalk.commit.failed_batches", "{batch}", "Batches that could not be committed (none of their messages acknowledged)");
        fanOut = meter.CreateHistogram("teamtalk.delivery.fan_out", "{user}", "Receivers of one delivery run (2 for a pair, the members for a group)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] });
        deliveryDuration = meter.CreateHistogram("teamtalk.delivery.duration", "s", "From a message's commit to its run reaching every receiver's User grain and gateways",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        deliveryFailures = meter.CreateCounter<long>("teamtalk.delivery.failures", "{run}", "Delivery runs of which a receiver's delivery failed");
    }

    /// <summary>Seconds: 1 ms to 10 s.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>A timestamp to measure a latency from (<see cref="Delivered"/>).</summary>
    public long Timestamp() => time.GetTimestamp();

    /// <summary>Watches the committer's queue (observable gauge <c>teamtalk.commit.queue_depth</c>).</summary>
    public void ObserveQueue(Func<int> depth) =>
        meter.CreateObservableGauge("teamtalk.commit.queue_depth", depth, "{message}", "Messages waiting for the committer");

    public void BatchCommitted(int messages, TimeSpan duration)
    {
        batchSize.Record(messages);
        commitDuration.Record(duration.TotalSeconds);
        committed.Add(messages);
    }

    public void BatchFailed(int messages, TimeSpan duration)
    {
        batchSize.Record(messages);
        commitDuration.Record(duration.TotalSeconds);
        failedBatches.Add(1);
    }

    /// <summary>A delivery run reached its <paramref name="receivers"/> (or failed to); <paramref name="committedAt"/> is its first message's <see cref="Timestamp"/>.</summary>
    public void Delivered(bool group, int receivers, long committedAt, bool failed)
    {
        var kind = group ? Group : Pair;
        fanOut.Record(receivers, kind);
        deliveryDuration.Record(time.GetElapsedTime(committedAt).TotalSeconds, kind);
        if (failed)
        {
            deliveryFailures.Add(1, kind);
        }
    }

    public void Dispose() => meter.Dispose();
}
