using System.Diagnostics.Metrics;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The push service's counters (meter <c>TeamTalk.Push</c>); every push that is not sent is counted with its reason.</summary>
public sealed class PushMetrics : IDisposable
{
    public const string MeterName = "TeamTalk.Push";

    private readonly Meter meter;
    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> invalidTokens;
    private readonly Counter<long> skipped;
    private readonly Counter<long> dropped;

    public PushMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>("teamtalk.push.sent", description: "Pushes the provider accepted");
        failed = meter.CreateCounter<long>("teamtalk.push.failed", description: "Pushes not delivered after retries, by provider and reason");
        invalidTokens = meter.CreateCounter<long>("teamtalk.push.invalid_tokens", description: "Tokens the provider reported invalid (removed)");
        skipped = meter.CreateCounter<long>("teamtalk.push.skipped", description: "Receivers not pushed by rule (mobile online, shield, no token, no provider)");
        dropped = meter.CreateCounter<long>("teamtalk.push.dropped", description: "Messages or notifications not decided or not sent (queue full, lookup failure)");
    }

    /// <summary>Watches the decision queue (observable gauge <c>teamtalk.push.queue_depth</c>).</summary>
    public void ObserveQueue(Func<int> depth) =>
        meter.CreateObservableGauge("teamtalk.push.queue_depth", depth, "{message}", "Committed messages waiting for the push decision");

    public void Sent(string provider) => sent.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Failed(string provider, string reason) =>
        failed.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void InvalidToken(string provider) => invalidTokens.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Skipped(string reason, int count = 1) => skipped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Dropped(string reason, int count = 1) => dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => meter.Dispose();
}
